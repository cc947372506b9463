package store

// scanFields makes the scan function of collect for a record whose columns
// go straight into its fields: fields names them, in the order of the
// SELECT. The record types differ; the reading does not.
func scanFields[T any](fields func(*T) []any) func(scanner) (T, error) {
	return func(row scanner) (T, error) {
		var v T
		err := row.Scan(fields(&v)...)
		return v, err
	}
}
