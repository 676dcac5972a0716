package review

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const overridesHead = "distributor,reseller_id,reseller_name,reseller_postcode,decision,partner_id,rejected,decided_at,note\n"

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestReadOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "overrides.csv")
	data := utf8BOM + // a byte-order mark, columns in another order, a blank line
		"decision,distributor,reseller_id,reseller_name,reseller_postcode,partner_id,rejected,decided_at,note\n" +
		"partner,ACME,R1,'=SUM(A1),01234,P1,,2026-03-01T09:30:00Z,checked\n" +
		"\n" +
		"not_a_partner,ACME,,Shop,,,,2026-03-01T10:00:00.5+01:00,\"two\nlines, \"\"quoted\"\"\"\n" +
		"none_of_these,BETA,R2,-typed without quote,,,'-P1;P2,2026-03-02T00:00:00Z,\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOverrides(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{Distributor: "ACME", ResellerID: "R1", ResellerName: "=SUM(A1)", ResellerPostcode: "01234", Kind: KindPartner, PartnerID: "P1",
			DecidedAt: mustTime(t, "2026-03-01T09:30:00Z"), Note: "checked"},
		{Distributor: "ACME", ResellerName: "Shop", Kind: KindNotAPartner,
			DecidedAt: mustTime(t, "2026-03-01T10:00:00.5+01:00"), Note: "two\nlines, \"quoted\""},
		{Distributor: "BETA", ResellerID: "R2", ResellerName: "-typed without quote", Kind: KindNoneOfThese, Rejected: []string{"-P1", "P2"},
			DecidedAt: mustTime(t, "2026-03-02T00:00:00Z")},
	}
	if !decisionsEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	for _, name := range []string{"missing.csv", "empty.csv"} {
		p := filepath.Join(dir, name)
		if name == "empty.csv" {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := ReadOverrides(p); err != nil || len(got) != 0 {
			t.Errorf("%s: %v, %v; want no decision", name, got, err)
		}
	}
}

func TestReadOverridesErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	const ok = "ACME,R1,Shop,1000,"
	for _, tc := range []struct {
		name, data, want string
	}{
		{"missing column", "distributor,reseller_id,reseller_name,reseller_postcode,decision,partner_id,rejected,note\n",
			"overrides.csv line 1: missing columns decided_at (the header has 8 columns; is this the right file?)"},
		{"unknown column", strings.TrimSuffix(overridesHead, "\n") + ",parter_id\n",
			`overrides.csv line 1: unknown columns "parter_id"; the columns are distributor, reseller_id, reseller_name, reseller_postcode, decision, partner_id, rejected, decided_at, note`},
		{"column twice", strings.TrimSuffix(overridesHead, "\n") + ",Note\n",
			"overrides.csv line 1: column note appears twice (columns 9 and 10)"},
		{"too few fields", overridesHead + "ACME,R1,Shop\n", "overrides.csv line 2: 3 fields, the header has 9"},
		{"too many fields", overridesHead + ok + "partner,P1,,2026-03-01T09:30:00Z,,extra\n", "overrides.csv line 2: 10 fields, the header has 9"},
		{"no distributor", overridesHead + ",R1,Shop,,partner,P1,,2026-03-01T09:30:00Z,\n", "overrides.csv line 2: distributor: empty"},
		{"unknown decision", overridesHead + ok + "Partner,P1,,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: decision "Partner": must be partner, not_a_partner or none_of_these`},
		{"empty decision", overridesHead + ok + ",P1,,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: decision "": must be partner, not_a_partner or none_of_these`},
		{"partner without id", overridesHead + ok + "partner,,,2026-03-01T09:30:00Z,\n", "overrides.csv line 2: partner_id: empty"},
		{"partner id with spaces", overridesHead + ok + "partner, P1,,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: partner_id: " P1" has leading or trailing spaces`},
		{"partner with rejected", overridesHead + ok + "partner,P1,P2,2026-03-01T09:30:00Z,\n",
			"overrides.csv line 2: rejected: must be empty for decision partner"},
		{"not a partner with id", overridesHead + ok + "not_a_partner,P1,,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: partner_id "P1": must be empty for decision not_a_partner`},
		{"none of these with id", overridesHead + ok + "none_of_these,P1,P2,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: partner_id "P1": must be empty for decision none_of_these`},
		{"none of these without rejected", overridesHead + ok + "none_of_these,,,2026-03-01T09:30:00Z,\n",
			"overrides.csv line 2: rejected: empty; decision none_of_these lists the partner ids of the candidates rejected"},
		{"rejected empty element", overridesHead + ok + "none_of_these,,P1;;P2,2026-03-01T09:30:00Z,\n",
			"overrides.csv line 2: rejected: partner id 2: empty"},
		{"rejected with spaces", overridesHead + ok + "none_of_these,,P1; P2,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: rejected: partner id 2: " P2" has leading or trailing spaces`},
		{"rejected twice", overridesHead + ok + "none_of_these,,P1;P2;P1,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: rejected: partner id "P1" is listed twice`},
		{"no decided_at", overridesHead + ok + "partner,P1,,,\n", "overrides.csv line 2: decided_at: missing"},
		{"bad decided_at", overridesHead + ok + "partner,P1,,2026-03-01 09:30,\n",
			`overrides.csv line 2: decided_at "2026-03-01 09:30": not an RFC 3339 time such as 2026-03-01T09:30:00Z`},
		{"control character", overridesHead + "ACME,R1,Sh\x01op,,partner,P1,,2026-03-01T09:30:00Z,\n",
			"overrides.csv line 2: reseller_name: contains the control character U+0001"},
		{"not UTF-8", overridesHead + "ACME,R1,M\xfcller,,partner,P1,,2026-03-01T09:30:00Z,\n",
			`overrides.csv line 2: not UTF-8 text; save the file as "CSV UTF-8"`},
		{"same reseller twice", overridesHead + ok + "partner,P1,,2026-03-01T09:30:00Z,\n" + ok + "not_a_partner,,,2026-03-02T09:30:00Z,\n",
			`overrides.csv line 3: the same reseller as on line 2 (distributor "ACME", reseller_id "R1", reseller_name "Shop", reseller_postcode "1000"); keep one of the two lines`},
		{"several errors", overridesHead + ok + "partner,,,2026-03-01T09:30:00Z,\n" + "\"ACME\",R2,,,partner,P1,,,\n",
			"overrides.csv line 2: partner_id: empty\noverrides.csv line 3: decided_at: missing"},
		{"bad quoting", overridesHead + "ACME,\"R1\"x\n", `overrides.csv line 2: extraneous or missing " in quoted-field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile("overrides.csv", []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadOverrides("overrides.csv")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n %v\nwant\n %s", err, tc.want)
			}
		})
	}
}

// decision builds a decision for the merge tests.
func decision(dist, id, kind, partner, at string, rejected ...string) Decision {
	t, _ := time.Parse(time.RFC3339, at)
	return Decision{Distributor: dist, ResellerID: id, ResellerName: "Shop " + id, Kind: kind, PartnerID: partner, Rejected: rejected, DecidedAt: t}
}

func TestMergeOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "overrides.csv")
	first := []Decision{
		decision("ACME", "R1", KindPartner, "P1", "2026-03-01T09:00:00Z"),
		decision("ACME", "R2", KindNotAPartner, "", "2026-03-01T09:00:00Z"),
		decision("BETA", "R3", KindNoneOfThese, "", "2026-03-01T09:00:00Z", "P7", "-P8"),
	}
	first[0].ResellerName = "=formula-like"
	first[1].Note = "line\nbreak, \"quoted\""
	added, replaced, err := MergeOverrides(path, first)
	if err != nil || added != 3 || replaced != 0 {
		t.Fatalf("first merge = %d, %d, %v; want 3, 0", added, replaced, err)
	}

	r1 := first[0]
	r1.Kind, r1.PartnerID, r1.DecidedAt = KindNotAPartner, "", mustTime(t, "2026-03-05T10:00:00Z")
	r2 := first[1]
	r2.DecidedAt = mustTime(t, "2026-03-05T10:00:00Z") // the same decision, later: changes nothing
	r4a := decision("GAMMA", "R4", KindPartner, "P40", "2026-03-05T10:00:00Z")
	r4b := decision("GAMMA", "R4", KindPartner, "P41", "2026-03-05T10:00:01.25Z") // later in the list: wins
	r3a := decision("BETA", "R3", KindPartner, "P9", "2026-03-05T10:00:00Z")      // replaced, then back
	r3b := first[2]
	r3b.DecidedAt = mustTime(t, "2026-03-05T10:00:00Z")
	added, replaced, err = MergeOverrides(path, []Decision{r1, r2, r4a, r3a, r4b, r3b})
	if err != nil || added != 1 || replaced != 1 {
		t.Fatalf("second merge = %d, %d, %v; want 1, 1", added, replaced, err)
	}
	got, err := ReadOverrides(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Decision{r1, first[1], first[2], r4b}; !decisionsEqual(got, want) {
		t.Errorf("merged:\n got %+v\nwant %+v", got, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "overrides_merged.csv", data)

	// Merging the same again changes nothing and does not rewrite the file.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	added, replaced, err = MergeOverrides(path, []Decision{r1, r2, r4b})
	if err != nil || added != 0 || replaced != 0 {
		t.Errorf("third merge = %d, %d, %v; want 0, 0", added, replaced, err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("file rewritten though nothing changed")
	}
	// Nothing to merge into no file: no file.
	none := filepath.Join(filepath.Dir(path), "none.csv")
	if _, _, err := MergeOverrides(none, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(none); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty merge created %s", none)
	}
}

func TestMergeOverridesErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	good := decision("ACME", "R1", KindPartner, "P1", "2026-03-01T09:00:00Z")
	bad := decision("ACME", "R2", KindPartner, "", "2026-03-01T09:00:00Z")
	for _, tc := range []struct {
		name     string
		file     string // the overrides file before
		ds       []Decision
		want     string
		wantFile string // "" means unchanged
	}{
		{"invalid decision", overridesHead, []Decision{good, bad},
			`review: decision 2 (distributor "ACME", reseller_id "R2", reseller_name "Shop R2", reseller_postcode ""): partner_id: empty`, ""},
		{"no time", overridesHead, []Decision{{Distributor: "ACME", Kind: KindNotAPartner}},
			`review: decision 1 (distributor "ACME", reseller_id "", reseller_name "", reseller_postcode ""): decided_at: missing`, ""},
		{"separator in a rejected id", overridesHead, []Decision{decision("ACME", "R1", KindNoneOfThese, "", "2026-03-01T09:00:00Z", "P1;P2")},
			`review: decision 1 (distributor "ACME", reseller_id "R1", reseller_name "Shop R1", reseller_postcode ""): rejected: partner id "P1;P2" contains ";", the separator`, ""},
		{"invalid file", overridesHead + "ACME,R9,,,maybe,,,2026-03-01T09:00:00Z,\n", []Decision{good},
			`overrides.csv line 2: decision "maybe": must be partner, not_a_partner or none_of_these`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile("overrides.csv", []byte(tc.file), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := MergeOverrides("overrides.csv", tc.ds)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n %v\nwant\n %s", err, tc.want)
			}
			data, _ := os.ReadFile("overrides.csv")
			if string(data) != tc.file {
				t.Errorf("file changed to %q", data)
			}
		})
	}
}

// TestMergeOverridesAtomic: a failed write leaves the old file whole and no temporary
// file; a good one keeps the file's permissions, follows a symbolic link and leaves
// nothing else in the folder.
func TestMergeOverridesAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "overrides.csv")
	d1 := decision("ACME", "R1", KindPartner, "P1", "2026-03-01T09:00:00Z")
	if _, _, err := MergeOverrides(path, []Decision{d1}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, %v; want 0644", fi.Mode(), err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	d2 := decision("ACME", "R2", KindNotAPartner, "", "2026-03-02T09:00:00Z")
	listing := func() []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	failure := errors.New("disk full")
	for _, tc := range []struct {
		name string
		hook func()
	}{
		{"sync fails", func() { syncFile = func(*os.File) error { return failure } }},
		{"rename fails", func() { renameFile = func(string, string) error { return failure } }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oldSync, oldRename := syncFile, renameFile
			t.Cleanup(func() { syncFile, renameFile = oldSync, oldRename })
			tc.hook()
			_, _, err := MergeOverrides(path, []Decision{d2})
			if !errors.Is(err, failure) || !strings.HasPrefix(err.Error(), "review: writing "+path+": ") {
				t.Errorf("error %v, want the write failure", err)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("file changed to %q", after)
			}
			if names := listing(); !reflect.DeepEqual(names, []string{"overrides.csv"}) {
				t.Errorf("folder holds %q", names)
			}
		})
	}

	// A good write: permissions kept, no leftovers.
	var synced bool
	oldSync := syncFile
	syncFile = func(f *os.File) error { synced = true; return oldSync(f) }
	t.Cleanup(func() { syncFile = oldSync })
	if added, _, err := MergeOverrides(path, []Decision{d2}); err != nil || added != 1 {
		t.Fatalf("merge = %d, %v", added, err)
	}
	if !synced {
		t.Error("the temporary file was not synced")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600 kept", fi.Mode(), err)
	}
	if names := listing(); !reflect.DeepEqual(names, []string{"overrides.csv"}) {
		t.Errorf("folder holds %q", names)
	}

	// Through a symbolic link: the target is replaced, the link stays.
	link := filepath.Join(t.TempDir(), "link.csv")
	if err := os.Symlink(path, link); err != nil {
		t.Skip(err)
	}
	d3 := decision("ACME", "R3", KindNotAPartner, "", "2026-03-03T09:00:00Z")
	if _, _, err := MergeOverrides(link, []Decision{d3}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced: %v, %v", fi.Mode(), err)
	}
	if got, err := ReadOverrides(path); err != nil || len(got) != 3 {
		t.Errorf("target holds %d decisions, %v; want 3", len(got), err)
	}
}
