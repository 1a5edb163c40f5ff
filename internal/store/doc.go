// Package store is the only package that speaks SQL. One Store is one
// site's database: an embedded SQLite file by default, or a PostgreSQL
// schema when a database URL is given. The differences between the two
// databases live in dialect.go and in the per-dialect migration files.
//
// Every public method takes ctx first and runs in one transaction that
// carries the time and the actor (from hmis.ActorFrom(ctx)); writes of
// client data add an audit row in the same transaction. Not found is an
// *hmis.Error with code hmis.ENOTFOUND, never (nil, nil).
package store
