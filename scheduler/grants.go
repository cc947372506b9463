package scheduler

import "fmt"

// grantedText is the digest's line of the money granted that day (APR-1,
// APR-2, WAL-6): compensation in yuan and in rolls of wallpaper, and
// advances on product disputes.
func (d Digest) grantedText() string {
	g := d.Granted
	if g.Count == 0 {
		return "Granted today: nothing\n"
	}
	return fmt.Sprintf("Granted today (%d): compensation ¥%d, wallpaper %d rolls, advances ¥%d\n",
		g.Count, g.CompensationYuan, g.Rolls, g.AdvanceYuan)
}
