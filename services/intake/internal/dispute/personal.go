package dispute

import (
	"regexp"
	"strconv"
	"strings"
)

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps the weighted sum mod 11 to the check character.
const idCheck = "10X98765432"

// ValidIDNumber checks an 18-character resident identity number: 17 digits
// and the GB 11643 check character (0-9 or X).
func ValidIDNumber(id string) bool {
	id = strings.ToUpper(id)
	if len(id) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	return id[17] == idCheck[sum%11]
}

var (
	mobile   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landline = regexp.MustCompile(`^0[1-9][0-9]{1,2}-?[0-9]{7,8}$`)
)

// ValidPhone accepts a mainland mobile number (optionally +86) or a landline
// with its area code.
func ValidPhone(p string) bool {
	p = normalisePhone(p)
	return mobile.MatchString(p) || landline.MatchString(p)
}

func normalisePhone(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), " ", "")
	return strings.TrimPrefix(strings.TrimPrefix(p, "+86"), "0086")
}

// partyOrdinals name the parties in the order they were recorded, the way
// a written record does (当事人甲, 当事人乙, ...).
var partyOrdinals = []rune("甲乙丙丁戊己庚辛壬癸")

// PartyLabel is what stands for the i-th party (from 0) wherever the name
// may not appear: "当事人甲", "当事人乙", ..., "当事人11" after the tenth. It
// says nothing of the person: a surname alone narrows a village down to a
// household, so no character of the name is kept.
func PartyLabel(i int) string {
	if i >= 0 && i < len(partyOrdinals) {
		return "当事人" + string(partyOrdinals[i])
	}
	return "当事人" + strconv.Itoa(i+1)
}

// MaskID keeps the region and the last four: "622901********1234".
func MaskID(id string) string {
	if len(id) != 18 {
		return strings.Repeat("*", len(id))
	}
	return id[:6] + strings.Repeat("*", 8) + id[14:]
}

// MaskPhone keeps the first three and last four: "138****5678".
func MaskPhone(p string) string {
	if len(p) < 8 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// PersonalData is the dispute's personal data by path: party names, ID
// and phone numbers, the street address and map pin, and the free text (the
// summary, the narrative and the revisits' notes on rebounds), which names
// people as often as not. The path of a field binds its ciphertext to the
// record when it is sealed at rest, so it never changes.
func (d Dispute) PersonalData() map[string]string {
	out := map[string]string{}
	for path, field := range d.personalFields() {
		out[path] = *field
	}
	return out
}

// RewritePersonalData replaces each personal field with f of its path and
// value (sealing it at rest, or opening it), and nothing else. It stops at
// the first error, the fields rewritten before it keeping their new value.
func (d *Dispute) RewritePersonalData(f func(path, value string) (string, error)) error {
	for path, field := range d.personalFields() {
		v, err := f(path, *field)
		if err != nil {
			return err
		}
		*field = v
	}
	return nil
}

func (d *Dispute) personalFields() map[string]*string {
	fields := map[string]*string{"address": &d.Address, "location": &d.Location, "summary": &d.Summary, "narrative": &d.Narrative}
	for i := range d.Parties {
		p := &d.Parties[i]
		at := "parties/" + strconv.Itoa(i) + "/"
		fields[at+"name"], fields[at+"id_number"], fields[at+"phone"] = &p.Name, &p.IDNumber, &p.Phone
	}
	for i := range d.Reopenings {
		fields["reopenings/"+strconv.Itoa(i)+"/note"] = &d.Reopenings[i].Note
	}
	return fields
}
