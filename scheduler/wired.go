package scheduler

// whenWired runs a desk step that reports what it did, when the job's
// desk is wired; a job built without one (a test, a tool) does nothing.
// The jobs that only call the desk share this; what they did is the
// desk's to log.
func whenWired[Done any](wired bool, step func() (Done, error)) error {
	if !wired {
		return nil
	}
	_, err := step()
	return err
}
