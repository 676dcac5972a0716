package norm

import "testing"

func TestPhonetic(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"DUPONT", "DPN"}, {"Dupond", "DPN"}, {"DUPONDS", "DPN"},
		{"SCHMIDT", "SM"}, {"SCHMITT", "SM"}, {"SMITH", "SM"},
		{"VERGNAUD", "VRN"}, {"VERGNEAU", "VRN"},
		{"PHILIPPE", "FLP"}, {"FILIPE", "FLP"},
		{"MEYER", "MR"}, {"MAIER", "MR"},
		{"CAMPBELL", "KMPBL"}, {"KAMPBEL", "KMPBL"},
		{"Électricité", "ALKTRS"},
		{"ABCDEFGHIJKLMN", "ABKDFG"},
		{"123", ""}, {"", ""},
	} {
		if got := Phonetic(c.in); got != c.want {
			t.Errorf("Phonetic(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
