// Command revisit runs the revisit service against external Kafka and
// MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_*.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/revisit"
)

func main() { os.Exit(bootstrap.Main(revisit.Name, revisit.Run)) }
