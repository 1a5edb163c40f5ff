package main

import (
	"context"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

func storeCtx(t *testing.T) context.Context {
	return hmis.NewContext(t.Context(), hmis.SystemActor("test"))
}
