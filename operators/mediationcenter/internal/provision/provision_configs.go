package provision

import (
	"context"
	"fmt"

	kafka "github.com/segmentio/kafka-go"
)

// alignConfigs puts back managed configs that differ from t.Configs, e.g.
// after a spec change of the retention. Configs not managed are left alone,
// so a platform team may still tune a topic by hand.
func (p *Provisioner) alignConfigs(ctx context.Context, t Topic) error {
	if len(t.Configs) == 0 {
		return nil
	}
	current, err := p.describe(ctx, t.Name)
	if err != nil {
		return err
	}
	var changes []kafka.IncrementalAlterConfigsRequestConfig
	for _, e := range entries(t.Configs) {
		if current[e.ConfigName] != e.ConfigValue {
			changes = append(changes, kafka.IncrementalAlterConfigsRequestConfig{
				Name: e.ConfigName, Value: e.ConfigValue, ConfigOperation: kafka.ConfigOperationSet,
			})
		}
	}
	if len(changes) == 0 {
		return nil
	}
	return p.alter(ctx, t.Name, changes)
}

func (p *Provisioner) describe(ctx context.Context, topic string) (map[string]string, error) {
	res, err := p.client.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{
		Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic}},
	})
	if err != nil {
		return nil, fmt.Errorf("while describing the configs of topic %s: %w", topic, err)
	}
	out := map[string]string{}
	for _, r := range res.Resources {
		if r.Error != nil {
			return nil, fmt.Errorf("while describing the configs of topic %s: %w", topic, r.Error)
		}
		for _, e := range r.ConfigEntries {
			out[e.ConfigName] = e.ConfigValue
		}
	}
	return out, nil
}

func (p *Provisioner) alter(ctx context.Context, topic string, changes []kafka.IncrementalAlterConfigsRequestConfig) error {
	res, err := p.client.IncrementalAlterConfigs(ctx, &kafka.IncrementalAlterConfigsRequest{
		Resources: []kafka.IncrementalAlterConfigsRequestResource{{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, Configs: changes,
		}},
	})
	if err != nil {
		return fmt.Errorf("while altering the configs of topic %s: %w", topic, err)
	}
	for _, r := range res.Resources {
		if r.Error != nil {
			return fmt.Errorf("while altering the configs of topic %s: %w", topic, r.Error)
		}
	}
	return nil
}
