package hmis_test

import (
	"errors"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

func validClient() hmis.Client {
	return hmis.Client{FirstName: "John", LastName: "Lennon", SSN: "123-45-6789", DOB: hmis.MustDate("1940-10-09"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
		DOBDataQuality: new(hud.DOBDataQuality(1)), White: new(hud.NoYes(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(0))}
}

func TestClient_Validate(t *testing.T) {
	today := hmis.MustDate("2025-06-01")
	for _, tc := range []struct {
		name  string
		edit  func(*hmis.Client)
		field string // "" when valid
	}{
		{"valid", func(*hmis.Client) {}, ""},
		{"SSN area 000", func(c *hmis.Client) { c.SSN = "000-12-3456" }, hmis.FieldSSN},
		{"SSN area 666", func(c *hmis.Client) { c.SSN = "666123456" }, hmis.FieldSSN},
		{"SSN area 9xx", func(c *hmis.Client) { c.SSN = "912-34-5678" }, hmis.FieldSSN},
		{"SSN group 00", func(c *hmis.Client) { c.SSN = "123-00-5678" }, hmis.FieldSSN},
		{"SSN serial 0000", func(c *hmis.Client) { c.SSN = "123-45-0000" }, hmis.FieldSSN},
		{"SSN short", func(c *hmis.Client) { c.SSN = "12345" }, hmis.FieldSSN},
		{"partial SSN", func(c *hmis.Client) { c.SSN, c.SSNDataQuality = "xxxxx6789", new(hud.SSNDataQuality(2)) }, ""},
		{"SSN with refused quality", func(c *hmis.Client) { c.SSNDataQuality = new(hud.SSNDataQuality(9)) }, hmis.FieldSSN},
		{"no name quality", func(c *hmis.Client) { c.NameDataQuality = nil }, hmis.FieldNameDataQuality},
		{"full name without last", func(c *hmis.Client) { c.LastName = "" }, hmis.FieldLastName},
		{"DOB in the future", func(c *hmis.Client) { c.DOB = hmis.MustDate("2025-06-02") }, hmis.FieldDOB},
		{"DOB today", func(c *hmis.Client) { c.DOB, c.VeteranStatus = today, nil }, ""},
		{"no race", func(c *hmis.Client) { c.White = nil }, hmis.FieldRace},
		{"race and none", func(c *hmis.Client) { c.RaceNone = new(hud.RaceNone(8)) }, hmis.FieldRace},
		{"adult without veteran status", func(c *hmis.Client) { c.VeteranStatus = nil }, hmis.FieldVeteranStatus},
		{"child veteran", func(c *hmis.Client) {
			c.DOB, c.VeteranStatus = hmis.MustDate("2015-01-01"), new(hud.NoYesReasonsForMissingData(1))
		}, hmis.FieldVeteranStatus},
		{"bad sex code", func(c *hmis.Client) { c.Sex = new(hud.Sex(7)) }, hmis.FieldSex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validClient()
			tc.edit(&c)
			err := c.ValidateOn(today)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var e *hmis.Error
			if !errors.As(err, &e) || e.Code != hmis.EINVALID || e.Fields[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestClient_DOBWarning(t *testing.T) {
	today := hmis.MustDate("2025-06-01")
	c := validClient()
	if w := c.DOBWarning(today); w != "" {
		t.Errorf("85-year-old: %q", w)
	}
	c.DOB = hmis.MustDate("1910-01-01")
	if w := c.DOBWarning(today); w == "" {
		t.Error("115-year-old: no warning")
	}
	if err := c.ValidateOn(today); err != nil {
		t.Errorf("over 110 is a warning, not an error: %v", err)
	}
}
