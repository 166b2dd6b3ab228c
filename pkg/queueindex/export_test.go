package queueindex

// SetPageBytes makes buckets and pages split past n bytes.
func (ix *Index) SetPageBytes(n int) { ix.pageSize = n }

// Gathered is how many edits wait for the next write of document id.
func (ix *Index) Gathered(id string) int {
	return ix.combine.Gathered(id) + ix.buckets.Gathered(id)
}
