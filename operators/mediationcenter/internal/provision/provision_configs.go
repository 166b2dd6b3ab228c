package provision

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// alignConfigs puts back managed configs that differ from each topic's
// Configs, e.g. after a spec change of the retention: one request reads
// them all, one sets what drifted. Configs not managed are left alone, so
// a platform team may still tune a topic by hand.
func (p *Provisioner) alignConfigs(ctx context.Context, topics []Topic) error {
	var managed []Topic
	for _, t := range topics {
		if len(t.Configs) > 0 {
			managed = append(managed, t)
		}
	}
	if len(managed) == 0 {
		return nil
	}
	current, err := p.describe(ctx, managed)
	if err != nil {
		return err
	}
	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	for _, t := range managed {
		if r, changed := drift(t, current[t.Name]); changed {
			req.Resources = append(req.Resources, r)
		}
	}
	if len(req.Resources) == 0 {
		return nil
	}
	return p.alter(ctx, req)
}

// drift is the alteration that puts t's managed configs back, and whether
// any differ.
func drift(t Topic, current map[string]string) (kmsg.IncrementalAlterConfigsRequestResource, bool) {
	r := kmsg.NewIncrementalAlterConfigsRequestResource()
	r.ResourceType, r.ResourceName = kmsg.ConfigResourceTypeTopic, t.Name
	for _, k := range sortedKeys(t.Configs) {
		if v, ok := current[k]; ok && v == t.Configs[k] {
			continue
		}
		c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
		c.Name, c.Value, c.Op = k, kmsg.StringPtr(t.Configs[k]), kmsg.IncrementalAlterConfigOpSet
		r.Configs = append(r.Configs, c)
	}
	return r, len(r.Configs) > 0
}

// describe reads the managed configs of the topics, by topic name.
func (p *Provisioner) describe(ctx context.Context, topics []Topic) (map[string]map[string]string, error) {
	req := kmsg.NewPtrDescribeConfigsRequest()
	for _, t := range topics {
		r := kmsg.NewDescribeConfigsRequestResource()
		r.ResourceType, r.ResourceName, r.ConfigNames = kmsg.ConfigResourceTypeTopic, t.Name, sortedKeys(t.Configs)
		req.Resources = append(req.Resources, r)
	}
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return nil, fmt.Errorf("while describing the configs of %d topics: %w", len(topics), err)
	}
	out := map[string]map[string]string{}
	for _, r := range res.Resources {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			return nil, fmt.Errorf("while describing the configs of topic %s: %w", r.ResourceName, err)
		}
		values := map[string]string{}
		for _, c := range r.Configs {
			values[c.Name] = deref(c.Value)
		}
		out[r.ResourceName] = values
	}
	return out, nil
}

func (p *Provisioner) alter(ctx context.Context, req *kmsg.IncrementalAlterConfigsRequest) error {
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return fmt.Errorf("while altering the configs of %d topics: %w", len(req.Resources), err)
	}
	var errs []error
	for _, r := range res.Resources {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			errs = append(errs, fmt.Errorf("while altering the configs of topic %s: %w", r.ResourceName, err))
		}
	}
	return errors.Join(errs...)
}
