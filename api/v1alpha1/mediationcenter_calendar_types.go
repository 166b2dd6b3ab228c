package v1alpha1

// Calendar is the county's business-day calendar (issue 5: "deadlines per
// risk level, on a business-day calendar with holidays that a county
// configures"). Acceptance deadlines of the triplicate slip count only
// business days: Monday to Friday, minus Holidays, plus Workdays. When set,
// it is the county's whole list (the national days included); when absent,
// the services use the national calendar they ship with.
//
// +kubebuilder:validation:XValidation:rule="!has(self.holidays) || !has(self.workdays) || self.holidays.all(h, !(h in self.workdays))",message="a date cannot be both a holiday and a workday",reason=FieldValueInvalid,fieldPath=".workdays"
type Calendar struct {
	// Holidays are days off although weekdays: the public holidays and any
	// local day the county keeps (e.g. an ethnic festival).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Holidays []CalendarDate `json:"holidays,omitempty"`

	// Workdays are weekend days worked in exchange for a holiday (调休).
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
