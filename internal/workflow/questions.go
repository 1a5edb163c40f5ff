package workflow

import (
	"strings"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// An organization's own optional questions (issue 5 point 2): added by an
// administrator to a definition (by its Key) at one stage, asked about the
// head of household on one optional step, which the organization places
// after any step. HUD-required steps cannot be removed or changed. Each
// question is asked of the members its subject names (the element rules'
// subjects: all members, head of household, adults, head and adults).

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

// QuestionSubjects lists whom a question may be asked of (element_rules.csv
// collected_about names), with their labels.
var QuestionSubjects = []struct{ Subject, Label string }{
	{hud.SubjectAllClients, "All members"}, {hud.SubjectHoH, "Head of household"},
	{hud.SubjectAdults, "Adults"}, {hud.SubjectHoHAndAdults, "Head of household and adults"},
}

// QuestionSubjectLabel returns the label of subject ("" when it is not one
// of QuestionSubjects).
func QuestionSubjectLabel(subject string) string {
	for _, s := range QuestionSubjects {
		if s.Subject == subject {
			return s.Label
		}
	}
	return ""
}

// Question is one of an organization's questions.
type Question struct {
	ID        string
	Label     string
	Kind      string
	AfterStep string // the definition step it follows; "" = before the review
	AskedOf   string // one of QuestionSubjects; "" = head of household
}

// ownPrefix starts the element id of the organization's questions:
// "own:" + the subject they are asked of.
const ownPrefix = "own"

// ownElement is the element id of q: "own:" + its subject.
func ownElement(q Question) string {
	subject := q.AskedOf
	if QuestionSubjectLabel(subject) == "" {
		subject = hud.SubjectHoH
	}
	return ownPrefix + ":" + subject
}

// IsOwnElement reports whether element id is one of the organization's
// questions.
func IsOwnElement(id string) bool { return id == ownPrefix || strings.HasPrefix(id, ownPrefix+":") }

// ownSubject is the subject of an organization's question's element id.
func ownSubject(id string) string {
	if _, s, ok := strings.Cut(id, ":"); ok && QuestionSubjectLabel(s) != "" {
		return s
	}
	return hud.SubjectHoH
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
	own := Page{Name: StepOwn}
	for _, q := range qs {
		id := ownElement(q)
		if !hasElement(own, id) {
			own.Elements = append(own.Elements, Element{ID: id, AskedOf: ownSubject(id)})
		}
		f := Field{Name: ownField(q), Label: q.Label, Element: id, Kind: KindText}
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

// Answers returns the answers to qs given in the run, one per member each
// question is asked of (their enrollment from recs at intake).
func (r *Run) Answers(qs []Question, recs Records) []Answer {
	var out []Answer
	for _, p := range r.Members {
		eid := p.EnrollmentID
		for _, e := range recs.Enrollments {
			if e.PersonalID == p.PersonalID {
				eid = e.EnrollmentID
			}
		}
		for _, q := range qs {
			if !r.Asks(r.ElementOf(ownElement(q)), p) {
				continue
			}
			if v := strings.TrimSpace(r.v(p, ownField(q))); v != "" {
				out = append(out, Answer{QuestionID: q.ID, PersonalID: p.PersonalID, EnrollmentID: eid, Value: v})
			}
		}
	}
	return out
}
