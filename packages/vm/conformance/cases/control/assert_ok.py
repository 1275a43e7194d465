x = 5
assert x == 5
assert x > 0, "positive"
print("asserts passed")
try:
    assert x < 0, "x must be negative, got %d" % x
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("empty message:", repr(str(e)))
