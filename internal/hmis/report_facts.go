package hmis

import (
	"math"
	"time"
)

// DisabilityFact is the part of a Disabilities.csv record (4.05-4.10) that
// HUD's reports read (the APR's Q13 conditions, the chronic-homelessness
// disabling condition), compact: codes are small integers with -1 for
// empty instead of pointers, no IDs (the report loader keys them by
// enrollment, Dataset.DisabilityFacts). A report over 100,000 enrollments
// holds about 800,000 of them (docs/PERFORMANCE.md).
type DisabilityFact struct {
	InformationDate      Date
	DateUpdated          time.Time
	DisabilityType       int16 // list 1.3; -1 when empty
	DisabilityResponse   int16 // list by DisabilityType; -1 when empty
	IndefiniteAndImpairs int16 // list 1.8; -1 when empty
	DataCollectionStage  int16 // list 5.03.1; -1 when empty
}

// FactCode is the DisabilityFact form of an optional code: -1 when empty;
// ok is false when the value does not fit (no HUD list does that).
func FactCode[T ~int](p *T) (c int16, ok bool) {
	if p == nil {
		return -1, true
	}
	if *p < 0 || int(*p) > math.MaxInt16 {
		return -1, false
	}
	return int16(*p), true
}

// Fact returns the part of d reports read. A code out of range (never a
// HUD list value) reads as empty.
func (d *Disability) Fact() DisabilityFact {
	f := DisabilityFact{InformationDate: d.InformationDate, DateUpdated: d.DateUpdated}
	f.DisabilityType, _ = FactCode(d.DisabilityType)
	f.DisabilityResponse, _ = FactCode(d.DisabilityResponse)
	f.IndefiniteAndImpairs, _ = FactCode(d.IndefiniteAndImpairs)
	f.DataCollectionStage, _ = FactCode(d.DataCollectionStage)
	return f
}
