package store

// CasePhotosAt returns a case's photos taken at the given steps, oldest
// first: the problem photos a provider is briefed with.
func (tx *Tx) CasePhotosAt(caseID int64, steps []string) ([]Photo, error) {
	if len(steps) == 0 {
		return nil, nil
	}
	q := "SELECT id, COALESCE(case_id, 0), sha256, mime, size, step, created_at FROM photos WHERE case_id = ? AND step IN (?"
	args := []any{caseID, steps[0]}
	for _, s := range steps[1:] {
		q += ", ?"
		args = append(args, s)
	}
	rows, err := tx.tx.QueryContext(tx.ctx, q+") ORDER BY id", args...)
	return collect(rows, err, "case photos", func(row scanner) (Photo, error) {
		var p Photo
		var at int64
		err := row.Scan(&p.ID, &p.CaseID, &p.SHA256, &p.MIME, &p.Size, &p.Step, &at)
		p.CreatedAt = fromMillis(at)
		return p, err
	})
}
