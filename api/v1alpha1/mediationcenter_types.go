package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MediationCenter is one county's dispute-resolution policy (矛盾纠纷多元化解):
// its jurisdiction, agencies, rooms and mediators, who is responsible for
// which category ("谁主管谁负责"), how each risk level escalates, and how
// settled disputes are revisited. One per county tenant namespace.
//
// The operator provisions the county's referral copy topics and publishes
// the effective policy on the compacted policy topic keyed by county code;
// deleting the resource retires the county (a tombstone) and keeps its
// topics, which are legal records, unless spec.topics.deletionPolicy says
// Delete.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mc;mcenter,categories=fengqiao
// +kubebuilder:printcolumn:name="Province",type=string,JSONPath=`.status.province`
// +kubebuilder:printcolumn:name="Prefecture",type=string,JSONPath=`.status.prefecture`
// +kubebuilder:printcolumn:name="County",type=string,JSONPath=`.spec.county.name`
// +kubebuilder:printcolumn:name="Code",type=string,JSONPath=`.spec.county.code`,priority=1
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Staffed",type=string,JSONPath=`.status.conditions[?(@.type=="Staffed")].status`
// +kubebuilder:printcolumn:name="Mediators",type=integer,JSONPath=`.status.mediators`
// +kubebuilder:printcolumn:name="Open",type=integer,JSONPath=`.status.figures.open`
// +kubebuilder:printcolumn:name="Overdue",type=integer,JSONPath=`.status.figures.overdue`
// +kubebuilder:printcolumn:name="Resolution",type=string,JSONPath=`.status.figures.resolutionRate`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type MediationCenter struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   MediationCenterSpec   `json:"spec"`
	Status MediationCenterStatus `json:"status,omitempty"`
}

// MediationCenterList is a list of MediationCenters.
//
// +kubebuilder:object:root=true
type MediationCenterList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MediationCenter `json:"items"`
}

// MediationCenterSpec is the county's policy as its political-legal committee
// sets it. Cross-references are checked by the apiserver: every mediator,
// room and routing rule must name an agency that exists, every township
// reference a township of the jurisdiction tree.
//
// The cross-reference rules carry fixed messages: a messageExpression naming
// the offending entry costs more than the apiserver's CEL budget allows at
// these list sizes.
//
// +kubebuilder:validation:XValidation:rule="self.jurisdiction.all(t, !has(t.code) || t.code.startsWith(self.county.code))",message="a township's code must begin with the county code",reason=FieldValueInvalid,fieldPath=".jurisdiction"
// +kubebuilder:validation:XValidation:rule="self.agencies.all(a, !has(a.township) || self.jurisdiction.exists(t, t.id == a.township))",message="an agency's township must be the id of a township in spec.jurisdiction",reason=FieldValueInvalid,fieldPath=".agencies"
// +kubebuilder:validation:XValidation:rule="self.routing.all(r, self.agencies.exists(a, a.id == r.agency))",message="every routing rule must point at the id of an agency in spec.agencies",reason=FieldValueInvalid,fieldPath=".routing"
// +kubebuilder:validation:XValidation:rule="self.routing.all(r, !has(r.township) || self.jurisdiction.exists(t, t.id == r.township))",message="a routing rule's township must be the id of a township in spec.jurisdiction",reason=FieldValueInvalid,fieldPath=".routing"
// +kubebuilder:validation:XValidation:rule="self.routing.exists(r, r.category == 'other' && !has(r.township))",message="routing needs a county-wide rule (no township) for category 'other', so that every dispute has a responsible unit",reason=FieldValueRequired,fieldPath=".routing"
// +kubebuilder:validation:XValidation:rule="!has(self.mediators) || self.mediators.all(m, self.agencies.exists(a, a.id == m.agency))",message="every mediator's agency must be the id of an agency in spec.agencies",reason=FieldValueInvalid,fieldPath=".mediators"
// +kubebuilder:validation:XValidation:rule="!has(self.mediators) || self.mediators.all(m, !has(m.room) || (has(self.rooms) && self.rooms.exists(r, r.id == m.room)))",message="a mediator's room must be the id of a room in spec.rooms",reason=FieldValueInvalid,fieldPath=".mediators"
// +kubebuilder:validation:XValidation:rule="!has(self.rooms) || self.rooms.all(r, self.agencies.exists(a, a.id == r.agency) && (!has(r.jointAgencies) || r.jointAgencies.all(j, self.agencies.exists(a, a.id == j))))",message="a room's agency and joint agencies must be ids of agencies in spec.agencies",reason=FieldValueInvalid,fieldPath=".rooms"
type MediationCenterSpec struct {
	// County is the county this resource governs.
	County County `json:"county"`

	// Jurisdiction is the county's tree: townships and streets, their
	// villages and communities, and their grids.
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	Jurisdiction []Township `json:"jurisdiction"`

	// Agencies are the units that take part: police stations, governance
	// centres, judicial offices, law firms, courts, the committee.
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	Agencies []Agency `json:"agencies"`

	// Rooms are the one-stop mediation rooms (三所联调 rooms and the like).
	// +optional
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MaxItems=100
	Rooms []Room `json:"rooms,omitempty"`

	// Mediators is the county's staffing. An unstaffed tier or risk level
	// shows as Staffed=False in the status.
	// +optional
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MaxItems=1000
	Mediators []Mediator `json:"mediators,omitempty"`

	// Routing names the unit responsible for each category ("谁主管谁负责"),
	// county-wide or for one township. A county-wide rule for 'other' is
	// required: it catches every category without a rule of its own.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:XValidation:rule="self.all(r, self.filter(s, s.category == r.category && (has(s.township) ? s.township : '') == (has(r.township) ? r.township : '')).size() == 1)",message="two routing rules have the same category and township: keep one"
	Routing []RoutingRule `json:"routing"`

	// Escalation is the escalation policy per risk level. The default is
	// spelled out because the apiserver checks a default against the CEL
	// rules as it stands; keep it equal to the per-level defaults below.
	// +optional
	// +kubebuilder:default={high:{acceptanceHours:2,resolutionDays:3,startTier:1,escalateAfterHours:24,jointMeetingAfterDays:2,jointMeetingWhenTier1Fails:true,repeatCallThreshold:2},medium:{acceptanceHours:24,resolutionDays:15,startTier:2,escalateAfterHours:120,jointMeetingAfterDays:10,jointMeetingWhenTier1Fails:true,repeatCallThreshold:3},low:{acceptanceHours:72,resolutionDays:30,startTier:3,escalateAfterHours:240,jointMeetingAfterDays:0,jointMeetingWhenTier1Fails:false,repeatCallThreshold:3}}
	Escalation Escalation `json:"escalation,omitempty"`

	// Revisit is the revisit policy.
	// +optional
	// +kubebuilder:default={}
	Revisit RevisitPolicy `json:"revisit,omitempty"`

	// WarningIndex holds the thresholds of the monthly area warning index.
	// +optional
	// +kubebuilder:default={yellowFrom:40,redFrom:70,resolutionRateTargetPercent:80,overdueRedCount:10}
	WarningIndex WarningIndex `json:"warningIndex,omitempty"`

	// Topics configures the county's referral copy topics.
	// +optional
	// +kubebuilder:default={}
	Topics Topics `json:"topics,omitempty"`

	// Categories is the county's own second and third category levels,
	// over the province's taxonomy (intake's GET /v1/categories). Absent,
	// the province's alone.
	// +optional
	Categories *CategoryOverride `json:"categories,omitempty"`

	// Calendar is the county's own holidays and adjusted working days (调休),
	// on top of the national calendar. Absent, the national calendar alone.
	// +optional
	Calendar *Calendar `json:"calendar,omitempty"`
}
