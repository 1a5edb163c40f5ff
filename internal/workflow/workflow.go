// Package workflow derives, from HUD's FY2026 collection matrix
// (hud.ElementRules, generated from element_rules.csv), which data elements a
// program asks at each stage of a stay and of which household members, and
// groups them into the ordered steps of a guided workflow (issue 5 point 2).
//
// It is pure: a Project is the program's type and the HUD funding sources
// (2.06.1) of its open Funder records; nothing here reads a database.
// Programs whose requirements are the same share one Definition, recognised
// by its Key.
package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Stage is a point in a stay at which data is collected.
type Stage string

// The workflow stages. Each maps to one element-rule stage and one
// DataCollectionStage (5.03).
const (
	Intake   Stage = "intake"    // project_start, DataCollectionStage 1
	Update   Stage = "update"    // update, 2
	Annual   Stage = "annual"    // annual, 5
	Exit     Stage = "exit"      // exit, 3
	PostExit Stage = "post-exit" // post_exit, 6
)

// Stages lists the stages in the order of a stay.
var Stages = []Stage{Intake, Update, Annual, Exit, PostExit}

// ParseStage returns the stage named s.
func ParseStage(s string) (Stage, error) {
	for _, st := range Stages {
		if string(st) == s {
			return st, nil
		}
	}
	return "", &hmis.Error{Code: hmis.EINVALID, Message: "The stage must be intake, update, annual, exit or post-exit.",
		Fields: map[string]string{"stage": "Choose intake, update, annual, exit or post-exit."}}
}

// RuleStage is the element rules' name of the stage.
func (s Stage) RuleStage() string {
	switch s {
	case Intake:
		return hud.StageProjectStart
	case PostExit:
		return hud.StagePostExit
	}
	return string(s)
}

// DataCollectionStage is the HUD 5.03 code records written at this stage carry.
func (s Stage) DataCollectionStage() hud.DataCollectionStage {
	switch s {
	case Update:
		return hud.DataCollectionStageUpdate
	case Annual:
		return hud.DataCollectionStageAnnualAssessment
	case Exit:
		return hud.DataCollectionStageProjectExit
	case PostExit:
		return hud.DataCollectionStagePostExit
	}
	return hud.DataCollectionStageProjectEntry
}

// Label is the stage for people.
func (s Stage) Label() string {
	switch s {
	case Intake:
		return "Intake"
	case Update:
		return "Update"
	case Annual:
		return "Annual assessment"
	case Exit:
		return "Exit"
	case PostExit:
		return "Post-exit"
	}
	return string(s)
}

// Project is what the derivation needs of a program.
type Project struct {
	ID      string
	Type    hud.ProjectType
	Funders []int // 2.06.1 codes of the funders open on the day considered

	// The operating period (2.02.3, 2.02.4): a stay must fall in it.
	OperatingStart, OperatingEnd hmis.Date
}

// ProjectOf builds the Project from its HUD records: the funders open on
// day (start on or before it, no end or ending on or after it).
func ProjectOf(p hmis.Project, funders []hmis.Funder, day hmis.Date) (Project, error) {
	if p.ProjectType == nil {
		return Project{}, &hmis.Error{Code: hmis.EINVALID, Message: "The program has no project type (2.02.6); an administrator must set it before it can enroll clients.",
			Fields: map[string]string{"project": "This program has no project type."}}
	}
	out := Project{ID: p.ProjectID, Type: *p.ProjectType, OperatingStart: p.OperatingStartDate, OperatingEnd: p.OperatingEndDate}
	seen := map[int]bool{}
	for _, f := range funders {
		if f.Funder == nil || !f.DateDeleted.IsZero() || f.ProjectID != p.ProjectID {
			continue
		}
		if !f.StartDate.IsZero() && f.StartDate.After(day) {
			continue
		}
		if !f.EndDate.IsZero() && f.EndDate.Before(day) {
			continue
		}
		if c := int(*f.Funder); !seen[c] {
			seen[c] = true
			out.Funders = append(out.Funders, c)
		}
	}
	sort.Ints(out.Funders)
	return out, nil
}

// Element is one HUD data element asked in a step.
type Element struct {
	ID       string `json:"id"`       // HUD element number; 3.917 for 3.917A/B
	Required bool   `json:"required"` // a rule whose level is required applies
	AskedOf  string `json:"asked_of"` // the rules' subject (hud.Subject*)
}

// Step is one page of a workflow.
type Step struct {
	Name     string    `json:"name"`
	Elements []Element `json:"elements"`
}

// Definition is the derived workflow of one stage.
type Definition struct {
	Stage Stage  `json:"stage"`
	Steps []Step `json:"steps"`
	// Key identifies the requirement set (stage, steps, elements, required,
	// asked_of): programs with equal keys share this definition.
	Key string `json:"key"`
}

// Has reports whether the definition asks element id.
func (d Definition) Has(id string) bool {
	_, ok := d.Element(id)
	return ok
}

// Element returns element id of the definition.
func (d Definition) Element(id string) (Element, bool) {
	for _, s := range d.Steps {
		for _, e := range s.Elements {
			if e.ID == id {
				return e, true
			}
		}
	}
	return Element{}, false
}

// stepOf places each element in a step; the steps come in this order. The
// federal-partner elements (C, P, R, V, W) get a step per partner.
var stepOrder = []struct {
	name     string
	elements []string
}{
	{StepIdentity, []string{"3.01", "3.02", "3.03", "3.04", "3.07", "4.21", "V1"}},
	{StepHousehold, []string{"3.15"}},
	{StepEnrollment, []string{"3.10", "3.16"}},
	// W5 Housing Assessment at Exit is an exit question of HOPWA programs
	// and of every CoC, ESG and ESG RUSH homelessness prevention program
	// (element_rules.csv: W5, funders 1;9;53, project type 12, level
	// required): it goes with the destination, not in the HOPWA step.
	{StepExit, []string{"3.11", "3.12", "W5"}},
	{StepOccurrence, []string{"3.20", "4.13", "4.12", "4.14"}},
	{StepLiving, []string{"3.917"}},
	{StepIncome, []string{"4.02", "4.03"}},
	{StepInsurance, []string{"4.04"}},
	{StepDisabilities, []string{"3.08", "4.05", "4.06", "4.07", "4.08", "4.09", "4.10"}},
	{StepDV, []string{"4.11"}},
	{StepHOPWA, []string{"W3", "W4", "W6"}},
	{StepPATH, []string{"P4"}},
	{StepRHY, []string{"R1", "R2", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R15", "R16", "R17", "R18", "R19", "R20"}},
	{StepVA, []string{"V4", "V6", "V7", "V9", "V10"}},
	{StepCoC, []string{"C3"}},
}

// Step names.
const (
	StepIdentity     = "Client identity"
	StepHousehold    = "Household members"
	StepEnrollment   = "Enrollment"
	StepExit         = "Exit and destination"
	StepOccurrence   = "Contact, engagement and move-in"
	StepLiving       = "Prior living situation"
	StepIncome       = "Income and benefits"
	StepInsurance    = "Health insurance"
	StepDisabilities = "Disabilities"
	StepDV           = "Domestic violence"
	StepHOPWA        = "HOPWA (W)"
	StepPATH         = "PATH (P)"
	StepRHY          = "RHY (R)"
	StepVA           = "VA (V)"
	StepCoC          = "CoC (C)"
)

// canonical returns the workflow id of a rule's element: 3.917A and
// 3.917B are one element, 3.917.
func canonical(id string) string {
	if strings.HasPrefix(id, "3.917") {
		return "3.917"
	}
	return id
}

// occurrenceStages are the stages at which a workflow asks the occurrence
// elements (element rules' stage "occurrence": recorded when the event
// happens, with no DataCollectionStage; REFERENCE.md §3): the move-in
// date (3.20) and the date of engagement (4.13) at intake, update and exit
// (at most one each per stay, between start and exit), a current living
// situation (4.12, one per contact) and a bed night (4.14, one per night)
// at intake and update. Other occurrence elements (services, CE
// assessments and events) are recorded outside the workflows.
var occurrenceStages = map[string][]Stage{
	"3.20": {Intake, Update, Exit},
	"4.13": {Intake, Update, Exit},
	"4.12": {Intake, Update},
	"4.14": {Intake, Update},
}

// Derive returns the workflow of project p at stage: every element some
// rule asks at that stage (for intake, also the record-creation elements
// such as 3.01–3.07 and 4.21, reviewed at each project start) for p's type
// and one of its funders, required when a rule of level required applies,
// asked of the rules' subject.
func Derive(p Project, stage Stage) (Definition, error) {
	if _, err := ParseStage(string(stage)); err != nil {
		return Definition{}, err
	}
	type acc struct {
		required bool
		subject  string
	}
	found := map[string]*acc{}
	for _, r := range hud.ElementRules {
		if !r.Collected() || !r.AppliesTo(p.Type, p.Funders) {
			continue
		}
		if !r.At(stage.RuleStage()) && !(stage == Intake && r.At(hud.StageRecordCreation)) &&
			!(r.At(hud.StageOccurrence) && slices.Contains(occurrenceStages[canonical(r.Element)], stage)) {
			continue
		}
		id := canonical(r.Element)
		a := found[id]
		if a == nil {
			a = &acc{subject: r.CollectedAbout}
			found[id] = a
		}
		a.required = a.required || r.Required()
	}
	d := Definition{Stage: stage, Steps: []Step{}}
	placed := map[string]bool{}
	for _, so := range stepOrder {
		step := Step{Name: so.name, Elements: []Element{}}
		for _, id := range so.elements {
			if a := found[id]; a != nil {
				step.Elements = append(step.Elements, Element{ID: id, Required: a.required, AskedOf: a.subject})
				placed[id] = true
			}
		}
		if len(step.Elements) > 0 {
			d.Steps = append(d.Steps, step)
		}
	}
	for id := range found {
		if !placed[id] {
			return Definition{}, fmt.Errorf("workflow: element %s has no step", id)
		}
	}
	d.Key = key(d)
	return d, nil
}

// key hashes the requirement set of d.
func key(d Definition) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", d.Stage)
	for _, s := range d.Steps {
		fmt.Fprintf(h, "[%s]\n", s.Name)
		for _, e := range s.Elements {
			fmt.Fprintf(h, "%s %t %s\n", e.ID, e.Required, e.AskedOf)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Member is what decides whether an element is asked of one household member.
type Member struct {
	HoH     bool // relationship to head of household is Self (3.15 = 1)
	Adult   bool // 18 or older on the stage's information date
	Veteran bool // 3.07 = Yes
	HIVAIDS bool // 4.08 = Yes
}

// AskedOf reports whether an element with subject is asked of m.
func AskedOf(subject string, m Member) bool {
	switch subject {
	case hud.SubjectAllClients, hud.SubjectReceivingServices:
		return true
	case hud.SubjectHoH:
		return m.HoH
	case hud.SubjectHoHAndAdults:
		return m.HoH || m.Adult
	case hud.SubjectAdults:
		return m.Adult
	case hud.SubjectVeterans:
		return m.Adult && m.Veteran
	case hud.SubjectHIVAIDS:
		return m.HIVAIDS
	}
	return false
}
