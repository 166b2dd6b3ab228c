// Command referral runs the referral service against external Kafka and
// MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_*.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/referral"
)

func main() { os.Exit(bootstrap.Main(referral.Name, referral.Run)) }
