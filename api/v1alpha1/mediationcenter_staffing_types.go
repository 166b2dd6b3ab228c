package v1alpha1

// Category is a first-level dispute category of the people's-mediation
// statistics; it must match fengqiao.dev/api/policy's Categories.
// +kubebuilder:validation:Enum=marriage_family;neighbour;housing_homestead;contract;production_business;damages;land_forest;requisition_demolition;environment;labour;consumer;medical;traffic;property_management;other
type Category string

// MediatorRole is what a mediator is by training or office.
// +kubebuilder:validation:Enum=police_officer;people_mediator;peacemaker;lawyer;judicial_assistant;judge;expert;psychologist
type MediatorRole string

// Mediator is one mediator, by a pseudonymous ID: names and phone numbers
// stay in the agencies' own records, never in the published policy.
type Mediator struct {
	// ID identifies the mediator within the county.
	ID ID `json:"id"`
	// Agency is the agency the mediator belongs to.
	Agency ID `json:"agency"`
	// Role is what the mediator is.
	Role MediatorRole `json:"role"`
	// Tier is the tier the mediator mediates at: 3 village, 2 station, 1
	// street or county centre (Pingdu's 三级调解).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=3
	Tier int32 `json:"tier"`
	// Skills are the categories the mediator is matched to ("点菜式").
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=15
	Skills []Category `json:"skills"`
	// Capacity is how many open disputes the mediator takes at once; 0 takes
	// the mediator out of matching without removing them.
	// +optional
	// +kubebuilder:default=5
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=50
	Capacity *int32 `json:"capacity,omitempty"`
	// OnCall marks a mediator who can be dispatched at once, e.g. for a
	// high-risk dispute at night.
	// +optional
	OnCall bool `json:"onCall,omitempty"`
	// Room is the room the mediator usually sits in.
	// +optional
	Room ID `json:"room,omitempty"`
	// Shifts are when the mediator is on duty (a roster of shifts); a
	// mediator on duty is preferred when a team is matched. Without
	// shifts, office hours: 08:30–17:30 on weekdays, China Standard Time;
	// an on-call mediator is on duty at all hours either way.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=14
	Shifts []Shift `json:"shifts,omitempty"`
}

// Weekday is a day of the week, by its first three letters.
// +kubebuilder:validation:Enum=mon;tue;wed;thu;fri;sat;sun
type Weekday string

// ClockTime is a time of day, "15:04", China Standard Time.
// +kubebuilder:validation:MinLength=5
// +kubebuilder:validation:MaxLength=5
// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
type ClockTime string

// Shift is one shift of a roster: on these days from From to To, China
// Standard Time. A shift whose To is before its From runs past midnight
// into the next day (a night shift, 20:00–08:00); one whose To equals its
// From is a 24-hour duty (08:00–08:00). No CEL rule checks the pair: at a
// thousand mediators its cost is beyond the apiserver's budget.
type Shift struct {
	// Days are the days the shift starts on.
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=7
	Days []Weekday `json:"days"`
	// From is when the shift starts.
	From ClockTime `json:"from"`
	// To is when it ends.
	To ClockTime `json:"to"`
}

// CategoryOverride is a county's own second and third category levels
// under some first-level categories (e.g. Linxia's own kinds of
// 婚姻家庭 disputes); the first level is the statistics' and cannot change.
type CategoryOverride struct {
	// Version names this override; each dispute records the taxonomy
	// version its subcategory was checked against, so change it with
	// every edit.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	Version string `json:"version"`
	// Subcategories replace, whole, the second level under each category
	// named.
	// +listType=map
	// +listMapKey=category
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=15
	Subcategories []CategorySubtree `json:"subcategories"`
}

// CategorySubtree is the county's second level under one first-level
// category.
type CategorySubtree struct {
	// Category is the first-level category.
	Category Category `json:"category"`
	// Children are its second-level categories.
	// +listType=map
	// +listMapKey=code
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=30
	Children []CategoryNode `json:"children"`
}

// CategoryNode is a second-level category and its third level.
type CategoryNode struct {
	// Code is its code in a subcategory path ("divorce/property").
	Code CategoryCode `json:"code"`
	// Label is its name, e.g. 离婚纠纷.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	Label string `json:"label"`
	// Children are its third-level categories.
	// +optional
	// +listType=map
	// +listMapKey=code
	// +kubebuilder:validation:MaxItems=30
	Children []CategoryLeaf `json:"children,omitempty"`
}

// CategoryLeaf is a third-level category.
type CategoryLeaf struct {
	// Code is its code in a subcategory path.
	Code CategoryCode `json:"code"`
	// Label is its name.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	Label string `json:"label"`
}

// CategoryCode is one level of a subcategory path: lower-case letters,
// digits and underscores.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=32
// +kubebuilder:validation:Pattern=`^[a-z0-9_]+$`
type CategoryCode string

// RoutingRule names the unit responsible for a category ("谁主管谁负责").
type RoutingRule struct {
	// Category is the dispute category.
	Category Category `json:"category"`
	// Township scopes the rule to one township or street; omit it for a
	// county-wide rule. A township rule wins over a county-wide one.
	// +optional
	Township ID `json:"township,omitempty"`
	// Agency is the responsible unit; it receives the jurisdiction copy.
	Agency ID `json:"agency"`
}
