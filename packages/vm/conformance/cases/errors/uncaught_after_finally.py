try:
    print("try")
    raise RuntimeError("boom")
finally:
    print("finally runs")
