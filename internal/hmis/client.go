package hmis

import (
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file holds the pure rules of the universal client elements a
// person's record must meet when it is entered by hand (Add New Client,
// Edit Client Information, the API). Imports keep HUD's looser CSV rules:
// old data is read as it is.

// Field names of Client.Validate's messages: the names the web form uses.
const (
	FieldFirstName       = "first_name"
	FieldMiddleName      = "middle_name"
	FieldLastName        = "last_name"
	FieldNameSuffix      = "name_suffix"
	FieldNameDataQuality = "name_data_quality"
	FieldSSN             = "ssn"
	FieldSSNDataQuality  = "ssn_data_quality"
	FieldDOB             = "dob"
	FieldDOBDataQuality  = "dob_data_quality"
	FieldRace            = "race"
	FieldAdditionalRace  = "additional_race_ethnicity"
	FieldVeteranStatus   = "veteran_status"
	FieldSex             = "sex"
)

// MaxAge is the age past which a date of birth is probably mistyped
// (3.03: warn, do not refuse).
const MaxAge = 110

// Validate checks the universal client elements as of today; see
// ValidateOn.
func (c *Client) Validate() error { return c.ValidateOn(DateOf(time.Now())) }

// ValidateOn checks the universal client elements (HUD Data Standards
// 3.01, 3.02, 3.03, 3.04, 3.07, 4.21) as of today and returns an EINVALID
// *Error whose Fields (FieldErrors) say what is wrong with each field,
// or nil.
func (c *Client) ValidateOn(today Date) error {
	f := FieldErrors{}

	// 3.01 Name: the quality is required; a full name has a first and a
	// last name.
	for _, n := range []struct{ field, v, label string }{
		{FieldFirstName, c.FirstName, "The first name"}, {FieldMiddleName, c.MiddleName, "The middle name"},
		{FieldLastName, c.LastName, "The last name"}, {FieldNameSuffix, c.NameSuffix, "The suffix"},
	} {
		if len(n.v) > 64 { // S64
			f.Add(n.field, n.label+" is longer than 64 characters.")
		}
	}
	switch {
	case c.NameDataQuality == nil:
		f.Add(FieldNameDataQuality, "Say how complete the name is.")
	case !c.NameDataQuality.Valid() || c.NameDataQuality.Retired():
		f.Add(FieldNameDataQuality, "Choose one of the listed answers.")
	case *c.NameDataQuality == 1:
		if strings.TrimSpace(c.FirstName) == "" {
			f.Add(FieldFirstName, "Enter the first name, or change the name data quality.")
		}
		if strings.TrimSpace(c.LastName) == "" {
			f.Add(FieldLastName, "Enter the last name, or change the name data quality.")
		}
	case *c.NameDataQuality == 2:
		if strings.TrimSpace(c.FirstName+c.LastName) == "" {
			f.Add(FieldFirstName, "Enter the name the client gave (a partial, street or code name).")
		}
	}

	// 3.02 SSN: a full SSN follows the SSA's rules; a partial one marks
	// the unknown digits with x.
	switch {
	case c.SSNDataQuality == nil:
		f.Add(FieldSSNDataQuality, "Say how complete the SSN is.")
	case !c.SSNDataQuality.Valid() || c.SSNDataQuality.Retired():
		f.Add(FieldSSNDataQuality, "Choose one of the listed answers.")
	case *c.SSNDataQuality == 1:
		if c.SSN == "" {
			f.Add(FieldSSN, "Enter the SSN, or change the SSN data quality.")
		} else if msg := SSNProblem(c.SSN); msg != "" {
			f.Add(FieldSSN, msg)
		}
	case *c.SSNDataQuality == 2:
		if c.SSN != "" && !partialSSN(c.SSN) {
			f.Add(FieldSSN, "A partial SSN has nine characters: digits, and x for each digit not known (xxxxx1234).")
		}
	default: // 8, 9, 99: nothing to record
		if c.SSN != "" {
			f.Add(FieldSSN, "Leave the SSN empty, or change the SSN data quality.")
		}
	}

	// 3.03 Date of birth: not in the future; a full or approximate DOB
	// needs a date.
	switch {
	case c.DOBDataQuality == nil:
		f.Add(FieldDOBDataQuality, "Say how complete the date of birth is.")
	case !c.DOBDataQuality.Valid() || c.DOBDataQuality.Retired():
		f.Add(FieldDOBDataQuality, "Choose one of the listed answers.")
	case *c.DOBDataQuality == 1 || *c.DOBDataQuality == 2:
		if c.DOB.IsZero() {
			f.Add(FieldDOB, "Enter the date of birth, or change the DOB data quality.")
		}
	default:
		if !c.DOB.IsZero() {
			f.Add(FieldDOB, "Leave the date of birth empty, or change the DOB data quality.")
		}
	}
	if !c.DOB.IsZero() {
		if c.DOB.After(today) {
			f.Add(FieldDOB, "The date of birth is in the future.")
		} else if c.DOB.Before(NewDate(1900, time.January, 1)) {
			f.Add(FieldDOB, "The date of birth is before 1900.")
		}
	}

	// 3.04 Race and ethnicity: each answer a yes or no; "none" (doesn't
	// know, prefers not to answer, not collected) excludes the others.
	yes := false
	for _, v := range c.races() {
		if v != nil {
			if !v.Valid() {
				f.Add(FieldRace, "Choose from the listed races and ethnicities.")
			}
			yes = yes || *v == 1
		}
	}
	if c.RaceNone != nil {
		if !c.RaceNone.Valid() || c.RaceNone.Retired() {
			f.Add(FieldRace, "Choose one of the listed answers.")
		} else if yes {
			f.Add(FieldRace, "Choose races and ethnicities, or say why there is no answer; not both.")
		}
	} else if !yes {
		f.Add(FieldRace, "Choose at least one race or ethnicity, or say why there is no answer.")
	}
	if len(c.AdditionalRaceEthnicity) > 100 { // S100
		f.Add(FieldAdditionalRace, "Keep this under 100 characters.")
	}

	// 3.07 Veteran status: adults only; children are not asked.
	if c.VeteranStatus != nil && (!c.VeteranStatus.Valid() || c.VeteranStatus.Retired()) {
		f.Add(FieldVeteranStatus, "Choose one of the listed answers.")
	}
	if c.VeteranStatus == nil && !c.DOB.IsZero() && !c.DOB.After(today) && c.DOB.AgeOn(today) >= 18 {
		f.Add(FieldVeteranStatus, "Answer for every adult (18 or over).")
	}
	if c.VeteranStatus != nil && *c.VeteranStatus == 1 && !c.DOB.IsZero() && c.DOB.AgeOn(today) < 18 {
		f.Add(FieldVeteranStatus, "A client under 18 cannot be a veteran: check the date of birth.")
	}

	// 4.21 Sex.
	if c.Sex != nil && (!c.Sex.Valid() || c.Sex.Retired()) {
		f.Add(FieldSex, "Choose one of the listed answers.")
	}
	return f.Err("Some of the client's information needs correcting.")
}

// DOBWarning returns a warning about an unlikely, but possible, date of
// birth (3.03: an age over MaxAge), or "".
func (c *Client) DOBWarning(today Date) string {
	if !c.DOB.IsZero() && !c.DOB.After(today) && c.DOB.AgeOn(today) > MaxAge {
		return "This date of birth makes the client over 110 years old: check it."
	}
	return ""
}

// races returns the 3.04 race and ethnicity answers.
func (c *Client) races() []*hud.NoYes {
	return []*hud.NoYes{c.AmIndAKNative, c.Asian, c.BlackAfAmerican, c.HispanicLatinao, c.MidEastNAfrican,
		c.NativeHIPacific, c.White}
}

// SSNProblem says what makes a full SSN impossible under the Social
// Security Administration's rules (nine digits; no area 000, 666 or
// 900-999; no group 00; no serial 0000), or "" for a possible one.
// Dashes and spaces are ignored.
func SSNProblem(ssn string) string {
	d := SSNDigits(ssn)
	if len(d) != 9 {
		return "An SSN has nine digits."
	}
	switch area := d[:3]; {
	case area == "000":
		return "No SSN starts with 000."
	case area == "666":
		return "No SSN starts with 666."
	case area[0] == '9':
		return "No SSN starts with 9."
	}
	if d[3:5] == "00" {
		return "The middle two digits of an SSN are never 00."
	}
	if d[5:] == "0000" {
		return "The last four digits of an SSN are never 0000."
	}
	return ""
}

// SSNDigits returns ssn without dashes and spaces; anything else is kept
// (so that SSNProblem sees it).
func SSNDigits(ssn string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(ssn))
}

// partialSSN reports whether s is nine digits or x's (3.02 partial SSN).
func partialSSN(s string) bool {
	s = strings.ToLower(SSNDigits(s))
	if len(s) != 9 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != 'x' {
			return false
		}
	}
	return true
}
