vals = [0.285, 1.005, 2.345, 10.555, -3.675, 123.4567, 0.0005]
print([round(v, 2) for v in vals])
print([round(v, 1) for v in vals])
print([round(v) for v in vals])
print([round(v, -1) for v in vals])
