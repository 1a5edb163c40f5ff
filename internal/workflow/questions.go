package workflow

import (
	"strings"
)

// An organization's own optional questions (issue 5 point 2): added by an
// administrator to a definition (by its Key) at one stage, asked about the
// head of household on one optional step, which the organization places
// after any step. HUD-required steps cannot be removed or changed.

// Question kinds.
const (
	QuestionText  = "text"
	QuestionYesNo = "yesno"
	QuestionDate  = "date"
)

// QuestionKinds lists the kinds with their labels.
var QuestionKinds = []struct{ Kind, Label string }{
	{QuestionText, "Short text"}, {QuestionYesNo, "Yes or No"}, {QuestionDate, "Date"},
}

// Question is one of an organization's questions.
type Question struct {
	ID        string
	Label     string
	Kind      string
	AfterStep string // the definition step it follows; "" = before the review
}

// StepOwn is the name of the organization's step.
const StepOwn = "Our questions"

// ownField is the form name of a question's answer.
func ownField(q Question) string { return "own_" + q.ID }

// WithQuestions adds the organization's step to pages, after the step its
// first question names (before the review when that step is not in this
// workflow). The questions are never required.
func WithQuestions(pages []Page, qs []Question) []Page {
	if len(qs) == 0 {
		return pages
	}
	own := Page{Name: StepOwn, Elements: []Element{{ID: "own", AskedOf: "hoh"}}}
	for _, q := range qs {
		f := Field{Name: ownField(q), Label: q.Label, Element: "own", Kind: KindText}
		switch q.Kind {
		case QuestionYesNo:
			f.Kind, f.List = KindSelect, "1.10"
		case QuestionDate:
			f.Kind = KindDate
			f.Label += " (MM/DD/YYYY)"
		}
		own.Member = append(own.Member, f)
	}
	at := len(pages) - 1 // before the review
	for i, p := range pages {
		if p.Name == qs[0].AfterStep && !p.Review {
			at = i + 1
		}
	}
	out := append([]Page(nil), pages[:at]...)
	out = append(out, own)
	return append(out, pages[at:]...)
}

// Answer is an answer to an organization's question.
type Answer struct {
	QuestionID   string
	PersonalID   string
	EnrollmentID string
	Value        string
}

// Answers returns the answers to qs given in the run, for the head of
// household (their enrollment from recs at intake).
func (r *Run) Answers(qs []Question, recs Records) []Answer {
	var out []Answer
	for _, p := range r.Members {
		if !r.HoH(p) {
			continue
		}
		eid := p.EnrollmentID
		for _, e := range recs.Enrollments {
			if e.PersonalID == p.PersonalID {
				eid = e.EnrollmentID
			}
		}
		for _, q := range qs {
			if v := strings.TrimSpace(r.v(p, ownField(q))); v != "" {
				out = append(out, Answer{QuestionID: q.ID, PersonalID: p.PersonalID, EnrollmentID: eid, Value: v})
			}
		}
	}
	return out
}
