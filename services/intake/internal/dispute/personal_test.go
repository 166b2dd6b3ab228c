package dispute

import (
	"maps"
	"testing"
)

func TestValidIDNumber(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},  // the GB 11643 standard's own example
		{"11010519491231002x", true},  // lower-case check character
		{"110105194912310021", false}, // wrong check digit
		{"1101051949123100", false},   // too short
		{"11010519491231002XX", false},
		{"1101051949123100AX", false}, // letter in the body
		{"", false},
	} {
		if got := ValidIDNumber(tc.id); got != tc.want {
			t.Errorf("ValidIDNumber(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	for _, tc := range []struct {
		phone string
		want  bool
	}{
		{"13812345678", true},
		{"+86 138 1234 5678", true},
		{"0930-1234567", true},  // Linxia landline
		{"09301234567", true},   // without the dash
		{"010-12345678", true},  // Beijing, 8-digit local number
		{"12812345678", false},  // no mobile prefix 12
		{"1381234567", false},   // one digit short
		{"138123456789", false}, // one digit long
		{"110", false},
		{"", false},
	} {
		if got := ValidPhone(tc.phone); got != tc.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tc.phone, got, tc.want)
		}
	}
}

func TestMasking(t *testing.T) {
	for _, tc := range []struct{ name, got, want string }{
		{"first party", PartyLabel(0), "当事人甲"},
		{"second party", PartyLabel(1), "当事人乙"},
		{"tenth party", PartyLabel(9), "当事人癸"},
		{"eleventh party", PartyLabel(10), "当事人11"},
		{"id", MaskID("11010519491231002X"), "110105********002X"},
		{"malformed id", MaskID("123"), "***"},
		{"mobile", MaskPhone("13812345678"), "138****5678"},
		{"short", MaskPhone("110"), "***"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func FuzzValidIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105194912310021", "", "X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !ValidIDNumber(id) {
			return
		}
		if len(id) != 18 {
			t.Fatalf("accepted %q of length %d", id, len(id))
		}
		if m := MaskID(id); len(m) != 18 || m[6:14] != "********" {
			t.Fatalf("MaskID(%q) = %q leaks the birth date", id, m)
		}
	})
}

func FuzzValidPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "0930-1234567", "+8613812345678", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, phone string) {
		if ValidPhone(phone) && len(normalisePhone(phone)) < 10 {
			t.Fatalf("accepted %q, too short to be a phone number", phone)
		}
	})
}

// Every personal field is named by the path its ciphertext is bound to,
// and a rewrite reaches each of them and nothing else.
func TestPersonalDataNamesEveryPersonalField(t *testing.T) {
	d := Dispute{
		ID: "d-1", Address: "解放路12号", Location: "35.6,103.2", Summary: "s", Narrative: "n", CaseCode: "622901-2026-000001",
		Parties:    []Party{{Role: "applicant", Name: "张三", IDNumber: "11010519491231002X", Phone: "13812345678"}, {Name: "李四"}},
		Reopenings: []Reopening{{Round: 2, Reason: "rebound", Note: "又吵起来了"}},
	}
	want := map[string]string{
		"address": "解放路12号", "location": "35.6,103.2", "summary": "s", "narrative": "n",
		"parties/0/name": "张三", "parties/0/id_number": "11010519491231002X", "parties/0/phone": "13812345678",
		"parties/1/name": "李四", "parties/1/id_number": "", "parties/1/phone": "",
		"reopenings/0/note": "又吵起来了",
	}
	if got := d.PersonalData(); !maps.Equal(got, want) {
		t.Fatalf("PersonalData = %v, want %v", got, want)
	}
	if err := d.RewritePersonalData(func(path, v string) (string, error) { return path + "=" + v, nil }); err != nil {
		t.Fatal(err)
	}
	for path, v := range want {
		if got := d.PersonalData()[path]; got != path+"="+v {
			t.Errorf("%s rewritten to %q, want %q", path, got, path+"="+v)
		}
	}
	if d.CaseCode != "622901-2026-000001" || d.Parties[0].Role != "applicant" || d.Reopenings[0].Reason != "rebound" {
		t.Fatalf("a field that is not personal was rewritten: %+v", d)
	}
}
