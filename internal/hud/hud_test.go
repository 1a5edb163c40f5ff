package hud

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedDir returns ../shared/hud/fy2026 next to the module root, or skips.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "hud", "fy2026")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("HUD spec files not found: %v", err)
	}
	return d
}

func TestProjectType(t *testing.T) {
	if got, want := ProjectTypeEmergencyShelterNightByNight.Label(), "Emergency Shelter - Night-by-Night"; got != want {
		t.Errorf("ProjectType 1 label = %q, want %q", got, want)
	}
	if got := ProjectType(1).ShortLabel(); got != "ES - NBN" {
		t.Errorf("ProjectType 1 short label = %q", got)
	}
	if ProjectType(5).Valid() || ProjectType(5).Label() != "" {
		t.Error("ProjectType 5 is not a code")
	}
	vs := ProjectTypeValues()
	if len(vs) != 14 || vs[0] != ProjectTypeEmergencyShelterEntryExit {
		t.Errorf("ProjectTypeValues = %v", vs)
	}
	if ProjectTypePHRapidReHousing != 13 || ProjectTypeCoordinatedEntry.ListCode() != "2.02.6" {
		t.Error("ProjectType constants")
	}
}

func TestLivingSituation(t *testing.T) {
	d := LivingSituation(435)
	if !d.Valid() || !d.IsDestination() || !d.IsPriorLivingSituation() || !d.IsCurrentLivingSituation() {
		t.Error("435 is valid everywhere")
	}
	if got := d.Label(); got != "Rental by client, with ongoing housing subsidy" {
		t.Errorf("435 label = %q", got)
	}
	// REFERENCE.md 2.2: subsets of 3.12.1.
	if LivingSituation(37).IsDestination() || !LivingSituation(37).IsCurrentLivingSituation() || LivingSituation(37).IsPriorLivingSituation() {
		t.Error("37 is current living situation only")
	}
	if !LivingSituation(24).IsDestination() || LivingSituation(24).IsCurrentLivingSituation() {
		t.Error("24 is destination only")
	}
	if LivingSituation(419).Valid() || LivingSituation(434).Valid() {
		t.Error("419 and 434 are rental subsidy types, not living situations")
	}
	if Lists["3.12.1"] == nil || !Lists["3.12.1"].Valid("435") || Lists["3.12"].Valid("37") {
		t.Error("registry 3.12.1 / 3.12")
	}
}

func TestFundingSourceRetired(t *testing.T) {
	for _, c := range []FundingSource{32, 47, 48} {
		if !c.Valid() {
			t.Errorf("funding source %d must be accepted", c)
		}
	}
	if FundingSource(32).Retired() || !FundingSource(47).Retired() || !FundingSource(48).Retired() {
		t.Error("47 and 48 are retired, 32 is not")
	}
	l := Lists["2.06.1"]
	for _, v := range l.Current() {
		if v.Code == 47 || v.Code == 48 {
			t.Errorf("Current() offers retired %d", v.Code)
		}
	}
	if v, ok := l.Lookup("48"); !ok || !v.Retired || v.Label != "HUD: HOPWA - CV" {
		t.Errorf("Lookup(48) = %+v, %v", v, ok)
	}
	if !FundingSourceHUDCoCBuilds.Valid() || FundingSourceHUDCoCBuilds != 56 {
		t.Error("56 CoC Builds")
	}
}

func TestStringLists(t *testing.T) {
	if CoCCode("CA-510").Label() == "" || !Lists["2.03.1"].Valid("ca-510") || Lists["2.03.1"].Valid("CA-999") {
		t.Error("CoC codes")
	}
	if !VAMCStation("528A5").Valid() || !Lists["V6.1"].Valid("528A5") {
		t.Error("VAMC station 528A5")
	}
	if !Lists["1.10"].Valid("01") || Lists["1.10"].Valid("2") || Lists["1.10"].Valid("x") {
		t.Error("Lookup of integer keys")
	}
	if Lists["race"].Label("HispanicLatinao") != "Hispanic/Latina/o" {
		t.Error("race HispanicLatinao")
	}
}

func TestSpecFY2026(t *testing.T) {
	var names []string
	for _, f := range FY2026.Files {
		names = append(names, f.Name)
	}
	want := "Export Organization User Project Funder ProjectCoC Inventory Affiliation HMISParticipation CEParticipation Client Enrollment Exit IncomeBenefits HealthAndDV EmploymentEducation Disabilities Services CurrentLivingSituation Assessment AssessmentQuestions AssessmentResults Event YouthEducationStatus"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("files = %s", got)
	}
	counts := map[string]int{"Export": 19, "Organization": 9, "User": 10, "Project": 19, "Funder": 12, "ProjectCoC": 15,
		"Inventory": 22, "Affiliation": 8, "HMISParticipation": 10, "CEParticipation": 15, "Client": 38, "Enrollment": 67,
		"Exit": 44, "IncomeBenefits": 77, "HealthAndDV": 18, "EmploymentEducation": 15, "Disabilities": 20, "Services": 18,
		"CurrentLivingSituation": 18, "Assessment": 13, "AssessmentQuestions": 13, "AssessmentResults": 11, "Event": 15,
		"YouthEducationStatus": 13}
	for _, f := range FY2026.Files {
		if len(f.Columns) != counts[f.Name] {
			t.Errorf("%s has %d columns, want %d (REFERENCE.md 1.2)", f.Name, len(f.Columns), counts[f.Name])
		}
		for _, c := range f.Columns {
			if c.List != "" && Lists[c.List] == nil {
				t.Errorf("%s.%s: list %s not in Lists", f.Name, c.Name, c.List)
			}
			if c.ListBy != nil {
				for _, l := range c.ListBy.Lists {
					if Lists[l] == nil {
						t.Errorf("%s.%s: list %s not in Lists", f.Name, c.Name, l)
					}
				}
			}
		}
	}
	e := FY2026.File("enrollment.csv")
	n := len(e.Columns)
	if e.Columns[n-6].Name != "MentalHealthConsultation" || e.Columns[n-5].Name != "DateCreated" {
		t.Errorf("Enrollment ends %s, %s", e.Columns[n-6].Name, e.Columns[n-5].Name)
	}
	c, i := e.Column("hohleaseholder")
	if c == nil || c.Name != "HOHLeaseholder" || c.Element != "V7.E" || i < 0 {
		t.Errorf("Column(hohleaseholder) = %+v", c)
	}
	cl := FY2026.File("Client")
	if cl.Key().Name != "PersonalID" {
		t.Error("Client key")
	}
	sex, _ := cl.Column("Sex")
	if sex.List != "4.21" || !sex.Nullable || sex.Element != "4.21" {
		t.Errorf("Client.Sex = %+v", sex)
	}
	fn, _ := cl.Column("FirstName")
	if fn.Type != TypeString || fn.Length != 64 {
		t.Errorf("Client.FirstName = %+v", fn)
	}
	s := FY2026.File("Services")
	tp, _ := s.Column("TypeProvided")
	if tp.ListBy == nil || tp.ListBy.Column != "RecordType" || tp.ListBy.ListFor(210) != "V8.2" || tp.ListBy.ListFor(151) != "W2.2" {
		t.Errorf("Services.TypeProvided ListBy = %+v", tp.ListBy)
	}
	d := FY2026.File("Disabilities")
	dr, _ := d.Column("DisabilityResponse")
	if dr.ListBy == nil || dr.ListBy.ListFor(10) != "4.10.2" || dr.ListBy.ListFor(5) != "1.8" {
		t.Errorf("Disabilities.DisabilityResponse ListBy = %+v", dr.ListBy)
	}
	ib := FY2026.File("IncomeBenefits")
	amt, _ := ib.Column("EarnedAmount")
	if amt.Type != TypeMoney || !amt.NonNegative {
		t.Errorf("EarnedAmount = %+v", amt)
	}
}

// TestListsAgreeWithFiles checks the generated code against the shared files.
func TestListsAgreeWithFiles(t *testing.T) {
	dir := sharedDir(t)
	f, err := os.Open(filepath.Join(dir, "valid_values.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	vv := map[string]map[string]bool{}
	for _, r := range rows[1:] {
		if vv[r[0]] == nil {
			vv[r[0]] = map[string]bool{}
		}
		vv[r[0]][r[1]] = true
	}
	for code, keys := range vv {
		l := Lists[code]
		if l == nil {
			t.Errorf("list %s missing", code)
			continue
		}
		for k := range keys {
			if !l.Valid(k) {
				t.Errorf("list %s: %s from valid_values.csv is not valid", code, k)
			}
		}
		for _, v := range l.Values {
			if !keys[v.Key] && !v.Retired && code != "2.06.1" {
				t.Errorf("list %s: %s is valid but not in valid_values.csv", code, v.Key)
			}
			if v.Label == "" {
				t.Errorf("list %s: %s has no label", code, v.Key)
			}
		}
	}
	// Labels agree with lists.json.
	b, err := os.ReadFile(filepath.Join(dir, "lists.json"))
	if err != nil {
		t.Fatal(err)
	}
	var jls []struct {
		Code   string
		Values []struct {
			Key         any
			Description string
		}
	}
	if err := json.Unmarshal(b, &jls); err != nil {
		t.Fatal(err)
	}
	for _, jl := range jls {
		l := Lists[jl.Code]
		if l == nil {
			continue
		}
		for _, v := range jl.Values {
			var key string
			switch k := v.Key.(type) {
			case string:
				key = k
			case float64:
				key = strconv.FormatFloat(k, 'f', -1, 64)
			}
			if lv, ok := l.Lookup(key); ok && lv.Label != v.Description {
				t.Errorf("list %s %s: label %q, lists.json %q", jl.Code, key, lv.Label, v.Description)
			}
		}
	}
	// Column count and order agree with columns.csv.
	cf, err := os.Open(filepath.Join(dir, "columns.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	crows, err := csv.NewReader(cf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, r := range crows[1:] {
		n[r[0]]++
		if c, _ := FY2026.File(r[0]).Column(r[2]); c == nil {
			t.Errorf("%s.%s missing", r[0], r[2])
		}
	}
	for _, f := range FY2026.Files {
		if n[f.Name] != len(f.Columns) {
			t.Errorf("%s: %d columns, columns.csv %d", f.Name, len(f.Columns), n[f.Name])
		}
	}
}
