// Command supervision runs the supervision service against external Kafka and
// MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_*
// variables.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/supervision"
)

func main() { os.Exit(bootstrap.Main(supervision.Name, supervision.Run)) }
