package dispute

import "testing"

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
