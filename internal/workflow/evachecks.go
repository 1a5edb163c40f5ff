package workflow

import (
	"fmt"
	"strconv"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// More of Eva's data-quality checks that concern one enrollment
// (../shared/hud/dq/eva_checks.csv, "dq" rows), checked when a page is
// saved. Errors block the page with the message on the field; warnings
// are confirmed by the case manager and recorded (Run.Warnings).

// stay returns the stay's project start and exit as the run knows them
// (zero when not given yet): at intake the typed start and the exit of a
// stay entered after it ended; later the enrollment's start and, at exit,
// the typed exit date.
func (r *Run) stay() (start, exit hmis.Date) {
	start, exit = r.EntryDate, r.ExitDate
	if r.Stage == Intake {
		start = r.Date(FieldEntryDate)
	}
	if d := r.Date(FieldExitDate); !d.IsZero() {
		exit = d
	}
	return start, exit
}

// evaErrors adds the errors of Eva's single-enrollment checks that page
// pg can see.
func (r *Run) evaErrors(pg Page, errs map[string]string) {
	start, exit := r.stay()
	set := func(k, msg string) {
		if errs[k] == "" {
			errs[k] = msg
		}
	}
	for _, f := range pg.Household {
		if f.Name != FieldExitDate || exit.IsZero() {
			continue
		}
		// Eva "Enrollment Crosses Operating End" and "Enrollment Before
		// Operating Period" (errors): a stay ends within the program's
		// operating period (2.02.3, 2.02.4).
		switch {
		case !r.Project.OperatingEnd.IsZero() && exit.After(r.Project.OperatingEnd):
			set(FieldExitDate, "The program stopped operating on "+r.Project.OperatingEnd.Format("01/02/2006")+" (2.02.4): a stay cannot end after.")
		case !r.Project.OperatingStart.IsZero() && exit.Before(r.Project.OperatingStart):
			set(FieldExitDate, "The program started operating on "+r.Project.OperatingStart.Format("01/02/2006")+" (2.02.3): a stay cannot end before.")
		}
	}
	for _, e := range pg.Elements {
		for _, p := range r.Members {
			if !r.Asks(e, p) {
				continue
			}
			k := Key(p.PersonalID, "")
			switch e.ID {
			case "4.13":
				// HUD 4.13: the date of engagement falls between the
				// project start and the exit.
				d, ok := ParseUSDate(r.v(p, FieldEngagementDate))
				switch {
				case !ok:
				case !start.IsZero() && d.Before(start):
					set(k+FieldEngagementDate, "The date of engagement cannot be before the project start date ("+start.Format("01/02/2006")+").")
				case !exit.IsZero() && d.After(exit):
					set(k+FieldEngagementDate, "The date of engagement cannot be after the exit date ("+exit.Format("01/02/2006")+").")
				}
			case "4.14":
				// Eva "Bed night entered on Project Exit Date" (error): a
				// bed night is dated before the exit date.
				if r.v(p, FieldBedNight) == "1" && !exit.IsZero() && !r.Day().Before(exit) {
					set(k+FieldBedNight, "A bed night cannot be on or after the exit date ("+exit.Format("01/02/2006")+"): leave it unticked for a stay that ended that day.")
				}
			case "V1":
				// Eva "Incorrect Year Entered Service/Separated" (errors):
				// the years are in order and not before the birth.
				in, errIn := strconv.Atoi(r.v(p, "year_entered_service"))
				out, errOut := strconv.Atoi(r.v(p, "year_separated"))
				switch {
				case errIn == nil && !p.DOB.IsZero() && in < p.DOB.Time().Year():
					set(k+"year_entered_service", "The year entered military service cannot be before "+p.Name+"’s birth year.")
				case errIn == nil && errOut == nil && out < in:
					set(k+"year_separated", "The year separated cannot be before the year entered military service.")
				}
			}
		}
	}
}

// evaWarnings are Eva's warnings on page pg beyond the unknown answers:
// a member over 100 at the start (3.03), and the 3.917 homelessness
// history that does not agree with its start date.
func (r *Run) evaWarnings(pg Page) []Warning {
	var out []Warning
	add := func(p Person, field, issue, text string) {
		out = append(out, Warning{Field: Key(p.PersonalID, field), Issue: issue, Text: p.Name + ": " + text})
	}
	start, _ := r.stay()
	// On the page with the start date: the enrollment's at intake, the
	// household's after.
	if (hasElement(pg, "3.10") || (r.Stage != Intake && hasElement(pg, "3.15"))) && !start.IsZero() {
		for _, p := range r.Members {
			if !p.DOB.IsZero() && p.DOB.AgeOn(start) > 100 {
				add(p, "dob", "Possible Incorrect DOB - Age Over 100", fmt.Sprintf("%d years old at the project start: check the date of birth (3.03).", p.DOB.AgeOn(start)))
			}
		}
	}
	if e, ok := r.Def.Element("3.917"); ok && hasElement(pg, "3.917") && !start.IsZero() {
		for _, p := range r.Members {
			if !r.Asks(e, p) {
				continue
			}
			began, ok := ParseUSDate(r.v(p, "date_to_street"))
			if !ok || began.After(start) {
				continue // no date, or the later-than-entry warning
			}
			times, months := r.v(p, "times_homeless"), r.v(p, "months_homeless")
			if began.Before(start.AddDays(-3 * 365)) {
				// More than three years ago: one time, more than 12 months.
				if (times != "" && times != "1") || (months != "" && months != "113") {
					add(p, "date_to_street", "Homelessness Start Date conflicts with Living Situation data",
						"homelessness started over three years ago, so it was one time and more than 12 months in the past three years (3.917.3–3.917.5).")
				}
				continue
			}
			if times != "1" {
				continue
			}
			// One episode since the date: the months follow from the dates
			// (101 = the first month, ..., 113 = more than 12).
			n := (start.Time().Year()-began.Time().Year())*12 + int(start.Time().Month()) - int(began.Time().Month()) + 1
			want := 100 + min(n, 13)
			got, err := strconv.Atoi(months)
			switch {
			case months == "" || unknown(months):
				add(p, "months_homeless", "Number of Months Homeless Can Be Determined",
					fmt.Sprintf("one episode since the date homelessness started: the months homeless can be counted (%s).", monthsLabel(want)))
			case err == nil && (got < want-1 || got > want+1):
				add(p, "months_homeless", "Invalid Homelessness Start Date/Number of Months Homeless",
					fmt.Sprintf("one episode since the date homelessness started means about %s homeless, not %s (3.917.5).", monthsLabel(want), monthsLabel(got)))
			}
		}
	}
	return out
}

func monthsLabel(code int) string {
	if code >= 113 {
		return "more than 12 months"
	}
	if code == 101 {
		return "1 month"
	}
	return strconv.Itoa(code-100) + " months"
}
