package v1alpha1

// Calendar is the county's own days on top of the national calendar the
// services ship with (every year the State Council has published).
// Acceptance deadlines of the triplicate slip count only business days:
// Monday to Friday, minus the national and the county's Holidays, plus the
// national and the county's Workdays; a county's day overrides what the
// national calendar says of it. List only what is the county's own: an
// ethnic festival, a local 调休, a national 调休 the county does not work.
//
// +kubebuilder:validation:XValidation:rule="!has(self.holidays) || !has(self.workdays) || self.holidays.all(h, !(h in self.workdays))",message="a date cannot be both a holiday and a workday",reason=FieldValueInvalid,fieldPath=".workdays"
type Calendar struct {
	// Holidays are days off although weekdays that the national calendar
	// does not have (e.g. an ethnic festival).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Holidays []CalendarDate `json:"holidays,omitempty"`

	// Workdays are weekend days, or national holidays, the county works
	// (e.g. in exchange for a local holiday: 调休).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Workdays []CalendarDate `json:"workdays,omitempty"`
}

// CalendarDate is one day, written "2006-01-02", in China Standard Time.
// The pattern bounds month and day; a day the month lacks (02-30) passes it,
// and a service reading such a list keeps the national calendar instead.
// +kubebuilder:validation:MinLength=10
// +kubebuilder:validation:MaxLength=10
// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
type CalendarDate string
