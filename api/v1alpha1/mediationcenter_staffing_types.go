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
}

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
