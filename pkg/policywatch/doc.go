// Package policywatch keeps the latest published policy of every county in
// memory, so a service applies routing, deadline and staffing changes live,
// without a restart and without Kubernetes credentials.
//
// The MediationCenter operator publishes each county's effective policy on
// the compacted topic events.TopicPolicy, key = county code, value = a JSON
// policy.CountyPolicy, nil value = the county is retired. A Watcher reads
// the whole topic from the beginning (compaction keeps it small: one record
// per county), then follows it:
//
//	w := policywatch.New(policywatch.Config{Brokers: cfg.Brokers})
//	w.OnChange(func(c policywatch.Change) { ... }) // optional
//	go w.Run(ctx)
//	if err := w.WaitReady(ctx); err != nil { ... } // caught up with the topic
//	p, ok := w.Policy("622901")
//	agency, ok := p.Route(policy.Neighbour, "bafang")
//
// Read the policy at the moment of each decision (routing a slip, computing
// a deadline), not once at start-up: that is what makes a change live. The
// returned policy is shared and must not be modified.
//
// The Watcher reads without a consumer group: every replica of every
// service reads the whole topic and commits nothing.
package policywatch
