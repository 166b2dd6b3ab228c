package queueindex

// Gathered is how many edits wait for the next write of document id.
func (ix *Index) Gathered(id string) int { return ix.combine.Gathered(id) }
