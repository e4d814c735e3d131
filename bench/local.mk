# Benchmarks: `make bench` prints figures, asserts nothing about time
