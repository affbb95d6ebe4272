// k6 with our Kafka producer built in (xk6 is not on the module proxy, so this wrapper stands in for `xk6 build`).
package main

import (
	k6cmd "go.k6.io/k6/cmd"

	_ "github.com/fraud-operator/fraud-operator/k6/xk6-kafka/kafka"
)

func main() {
	k6cmd.Execute()
}
