// Command intake runs the intake service against external Kafka and MongoDB,
// configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_* variables.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/intake"
)

func main() { os.Exit(bootstrap.Main(intake.Name, intake.Run)) }
