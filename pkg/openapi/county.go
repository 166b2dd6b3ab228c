package openapi

import "github.com/getkin/kin-openapi/openapi3"

// countySchemas are the county's own tables as intake serves them from its
// policy: the jurisdiction tree, its units and rooms, and the categories.
// Forms pick from them and pages show their names instead of codes.
func countySchemas() openapi3.Schemas {
	return openapi3.Schemas{
		"Jurisdiction": object("The caller's county as its policy names it; empty lists until the policy arrives.",
			[]string{"county", "revision", "townships", "agencies", "rooms"}, openapi3.Schemas{
				"county": object("", []string{"code", "name"}, openapi3.Schemas{
					"code": str("six digits", "622901"),
					"name": str("", "临夏市"),
				}),
				"revision":  int64Of("the policy's revision"),
				"townships": arrayOf(ref("Township"), "the jurisdiction tree a registration's place is checked against"),
				"agencies":  arrayOf(ref("CountyAgency"), "the county's units"),
				"rooms":     arrayOf(ref("Room"), "its mediation rooms"),
			}),
		"Township": object("A township (乡/镇) or street (街道).", []string{"id", "name", "kind"}, openapi3.Schemas{
			"id":       str("", "bafang"),
			"code":     str("nine-digit division code", "622901001"),
			"name":     str("", "八坊街道"),
			"kind":     str("township, town or street", "street"),
			"villages": arrayOf(ref("Village"), ""),
		}),
		"Village": object("A village (村) or community (社区).", []string{"id", "name", "kind"}, openapi3.Schemas{
			"id":    str("", "bafang-xinhua"),
			"code":  str("twelve-digit division code", "622901001001"),
			"name":  str("", "新华社区"),
			"kind":  str("village or community", "community"),
			"grids": arrayOf(object("A grid (网格).", []string{"id"}, openapi3.Schemas{"id": str("", "g3"), "name": str("", "网格3")}), ""),
		}),
		"CountyAgency": object("A unit of the county.", []string{"id", "name", "kind"}, openapi3.Schemas{
			"id":       str("", "pcs-bafang"),
			"name":     str("", "八坊派出所"),
			"kind":     str("police_station, command_centre, political_legal_committee, governance_centre, judicial_office, law_firm, mediation_committee, court or inspectorate", "police_station"),
			"township": str("the township it serves; none for a county-level unit", "bafang"),
		}),
		"Room": object("A mediation room (调解室).", []string{"id", "name", "agency", "tier"}, openapi3.Schemas{
			"id":            str("", "room-bafang"),
			"name":          str("", "八坊派出所三所联调室"),
			"agency":        str("the unit hosting it", "pcs-bafang"),
			"tier":          integer("1 street centre, 2 police station, 3 village"),
			"jointAgencies": arrayOf(str("", "jo-bafang"), "the units sitting with the host (三所联调)"),
		}),
		"Taxonomy": object("The county's categories: the province's, with the county's own lower levels.",
			[]string{"version", "categories"}, openapi3.Schemas{
				"version":    str("", "gansu-2026.1"),
				"categories": arrayOf(ref("CategoryNode"), "first level in statistics order"),
			}),
		"CategoryNode": object("A category and its subcategories; a subcategory's path joins codes with /.",
			[]string{"code", "label"}, openapi3.Schemas{
				"code":     str("", "neighbour"),
				"label":    str("", "邻里纠纷"),
				"children": arrayOf(ref("CategoryNode"), ""),
			}),
	}
}
