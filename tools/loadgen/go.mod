module riskline/loadgen

go 1.21
