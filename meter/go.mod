module github.com/k6-llm/meter

go 1.22
