package target

// Keys lists the ids a fixture names, outermost first, in the order of the path parameters
// of the operation it is used with (the sink's only when set): a server or suite that reads
// the API's shape from its document fills that operation's path with them.
func (r AnalyticRef) Keys() []int64 {
	keys := []int64{r.CubeID, r.AnalyticID}
	if r.SinkID != 0 {
		keys = append(keys, r.SinkID)
	}
	return keys
}
