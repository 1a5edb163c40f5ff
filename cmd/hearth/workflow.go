package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// hearth workflow --site S --project ID --stage intake|update|annual|exit|post-exit [--json]:
// the workflow derived from the program's type and open funders (issue 5).
func runWorkflow(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var project, stage, date string
	var asJSON bool
	fs := newFlagSet("workflow", "--site S --project PROJECTID --stage intake|update|annual|exit|post-exit [--json]")
	c.register(fs, true, true)
	fs.StringVar(&project, "project", "", "the program's ProjectID (required)")
	fs.StringVar(&stage, "stage", "", "intake, update, annual, exit or post-exit (required)")
	fs.StringVar(&date, "date", "", "the day whose open funders count, YYYY-MM-DD (default today)")
	fs.BoolVar(&asJSON, "json", false, "print JSON: {project_id, stage, steps: [{name, elements: [{id, required, asked_of}]}]}")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("workflow: unexpected argument %q", rest[0])
	}
	if project == "" || stage == "" {
		return usagef("workflow: --project and --stage are required")
	}
	st, err := workflow.ParseStage(stage)
	if err != nil {
		return usagef("workflow: --stage must be intake, update, annual, exit or post-exit")
	}
	var day hmis.Date
	if date != "" {
		if day, err = hmis.ParseDate(date); err != nil {
			return usagef("workflow: --date: want YYYY-MM-DD")
		}
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	def, err := store.DeriveWorkflow(ctx, site.Store, project, st, day)
	if err != nil {
		return err
	}
	if asJSON {
		out := struct {
			ProjectID string          `json:"project_id"`
			Stage     workflow.Stage  `json:"stage"`
			Steps     []workflow.Step `json:"steps"`
		}{project, def.Stage, def.Steps}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s workflow of program %s (definition %s)\n", st.Label(), project, def.Key)
	for i, s := range def.Steps {
		fmt.Fprintf(e.stdout, "%d. %s\n", i+1, s.Name)
		for _, el := range s.Elements {
			req := "optional"
			if el.Required {
				req = "required"
			}
			fmt.Fprintf(e.stdout, "   %-6s %-8s %s\n", el.ID, req, el.AskedOf)
		}
	}
	return nil
}
