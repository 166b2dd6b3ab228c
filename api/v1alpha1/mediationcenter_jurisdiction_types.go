package v1alpha1

// County identifies the county by its administrative division code.
type County struct {
	// Code is the 6-digit GB/T 2260 administrative division code, e.g.
	// 622901 (Linxia city), 620902 (Suzhou district, Jiuquan), 370202
	// (Qingdao Shinan). It keys the county's policy and names its topics, so
	// it cannot change.
	// +kubebuilder:validation:MinLength=6
	// +kubebuilder:validation:MaxLength=6
	// +kubebuilder:validation:XValidation:rule="self.matches('^[1-8][0-9]{5}$')",message="county code must be the 6-digit GB/T 2260 administrative division code, e.g. 622901"
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="county code is immutable: it keys the published policy and names the topics; retire this MediationCenter and create a new one"
	Code string `json:"code"`

	// Name is the county's name, e.g. 临夏市.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
}

// GB/T 2260 codes nest: the first two digits name the province, the first
// four the prefecture, all six the county.
const (
	provinceDigits   = 2
	prefectureDigits = 4
)

// ProvinceCode is the province's division code: the first two digits of
// the county code (62 for Gansu). Empty when the code is too short to
// carry one (the CRD refuses such a code).
func (c County) ProvinceCode() string { return divisionPrefix(c.Code, provinceDigits) }

// PrefectureCode is the prefecture's division code: the first four digits
// of the county code (6229 for Linxia prefecture). For a district of a
// municipality (1101) or a county-level unit a province governs directly
// (4290, 4690) it is the code of that grouping, which has no city of its
// own; it still groups the counties the way the national statistics do.
func (c County) PrefectureCode() string { return divisionPrefix(c.Code, prefectureDigits) }

func divisionPrefix(code string, digits int) string {
	if len(code) < digits {
		return ""
	}
	return code[:digits]
}

// ID is a short identifier unique in its list: lower-case letters, digits and
// dashes, as in a Kubernetes name, so it can appear in topic names and labels.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=63
// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
type ID string

// Township is a township (乡), town (镇) or street (街道).
// +kubebuilder:validation:XValidation:rule="!has(self.villages) || self.villages.all(v, !has(v.code) || (has(self.code) && v.code.startsWith(self.code)))",message="a village's code must begin with its township's code"
type Township struct {
	// ID identifies the township within the county.
	ID ID `json:"id"`
	// Name is its official name, e.g. 八坊街道.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
	// Code is its 9-digit GB/T 2260 (township-level) division code, which
	// begins with the county's code, e.g. 622901001. Intake records a
	// dispute's place by these codes, so a county whose townships have no
	// code cannot have places checked or routed by township.
	// +optional
	// +kubebuilder:validation:MaxLength=9
	// +kubebuilder:validation:Pattern=`^[0-9]{9}$`
	Code string `json:"code,omitempty"`
	// Kind is township, town or street.
	// +kubebuilder:validation:Enum=township;town;street
	// +kubebuilder:default=town
	// +optional
	Kind string `json:"kind,omitempty"`
	// Villages are its villages (村) and communities (社区).
	// +optional
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MaxItems=200
	Villages []Village `json:"villages,omitempty"`
}

// Village is a village (村) or community (社区).
type Village struct {
	// ID identifies the village within its township.
	ID ID `json:"id"`
	// Name is its name, e.g. 齐东路社区.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
	// Code is its 12-digit division code, which begins with its
	// township's code, e.g. 622901001001.
	// +optional
	// +kubebuilder:validation:MaxLength=12
	// +kubebuilder:validation:Pattern=`^[0-9]{12}$`
	Code string `json:"code,omitempty"`
	// Kind is village or community.
	// +kubebuilder:validation:Enum=village;community
	// +kubebuilder:default=village
	// +optional
	Kind string `json:"kind,omitempty"`
	// Grids are the grids (网格) grid workers patrol.
	// +optional
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MaxItems=100
	Grids []Grid `json:"grids,omitempty"`
}

// Grid is one grid (网格) of a village.
type Grid struct {
	// ID identifies the grid within its village.
	ID ID `json:"id"`
	// Name is its name, if it has one.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name,omitempty"`
}

// AgencyKind is what an agency is.
// +kubebuilder:validation:Enum=police_station;command_centre;political_legal_committee;governance_centre;judicial_office;law_firm;mediation_committee;court;inspectorate
type AgencyKind string

// Agency is one unit that takes part in the closed loop.
type Agency struct {
	// ID identifies the agency within the county.
	ID ID `json:"id"`
	// Name is its name, e.g. 江苏路派出所.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
	// Kind is what the agency is.
	Kind AgencyKind `json:"kind"`
	// Township is the township or street it serves; omit it for a
	// county-level agency.
	// +optional
	Township ID `json:"township,omitempty"`
}

// Room is a one-stop mediation room (调解室).
type Room struct {
	// ID identifies the room within the county.
	ID ID `json:"id"`
	// Name is its name, e.g. 三所联调调解室.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
	// Agency hosts the room.
	Agency ID `json:"agency"`
	// Tier is the mediation tier the room serves.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=3
	Tier int32 `json:"tier"`
	// JointAgencies sit in the room with the host (三所联调: police station,
	// judicial office, law firm).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=5
	JointAgencies []ID `json:"jointAgencies,omitempty"`
}
