package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
)

// rng is the generator's one source of randomness: a PCG seeded from
// Options.Seed, drawn from in a fixed order, so that the same seed gives the
// same data.
type rng struct{ *rand.Rand }

func newRNG(seed int64, stream string) rng {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rng{rand.New(rand.NewPCG(uint64(seed), h.Sum64()))}
}

// chance is true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns an integer in [lo, hi].
func (r rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// pick returns one element of xs.
func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted is a choice and its relative weight.
type weighted[T any] struct {
	v T
	w int
}

// pickW returns a choice with probability proportional to its weight.
func pickW[T any](r rng, cs []weighted[T]) T {
	total := 0
	for _, c := range cs {
		total += c.w
	}
	n := r.IntN(total)
	for _, c := range cs {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return cs[len(cs)-1].v
}

// logNormalDays draws a length of stay with the given median, in [lo, hi]:
// stays are skewed, most short and a few very long.
func (r rng) logNormalDays(median float64, lo, hi int) int {
	d := int(math.Round(median * math.Exp(r.NormFloat64()*0.9)))
	return min(max(d, lo), hi)
}

// ids makes record identifiers: a namespace of 12 hex digits, a letter for
// the record kind, and a counter. The namespace is a hash of the seed and
// of how many clients the site already had, so a second run with the same
// seed gets new identifiers (no duplicate keys), while the same seed on
// two empty sites gives identical identifiers and content.
type ids struct {
	ns  []byte
	buf []byte
	n   uint64
}

func newIDs(parts ...string) *ids {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	ns := strconv.AppendUint(nil, h.Sum64()>>16, 16)
	for len(ns) < 12 {
		ns = append([]byte{'0'}, ns...)
	}
	return &ids{ns: ns}
}

// next returns a new identifier of the given kind (C client, E enrollment, ...).
func (x *ids) next(kind byte) string {
	x.n++
	b := append(x.buf[:0], x.ns...)
	b = append(b, kind)
	start := len(b)
	b = strconv.AppendUint(b, x.n, 16)
	// Zero-pad the counter to 10 digits so identifiers sort in creation order.
	if pad := 10 - (len(b) - start); pad > 0 {
		b = append(b, make([]byte, pad)...)
		copy(b[start+pad:], b[start:len(b)-pad])
		for i := start; i < start+pad; i++ {
			b[i] = '0'
		}
	}
	x.buf = b
	return string(b)
}
