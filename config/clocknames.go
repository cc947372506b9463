package config

import "slices"

// LaterClockNames are the clocks the lifecycle starts on its own, outside
// ClocksFor and ClocksOn: a complaint's written solution and the general
// manager's call-back (CMP-4), the installer's confirmation of a visit,
// and the wallpaper clocks (WAL-5). Each, like ClockNames, has a name in
// every language of the catalog (staff.clock.<name>; STF-2).
var LaterClockNames = []string{"complaint_written_solution", "complaint_gm_callback", "installer_confirm",
	"wall_answer", "wall_plan", "wall_major"}

// AllClockNames are every clock the desk can run, sorted: the names staff
// read on an escalation, the digest and the workbench.
func AllClockNames() []string {
	all := append(append([]string{}, ClockNames...), LaterClockNames...)
	slices.Sort(all)
	return slices.Compact(all)
}
