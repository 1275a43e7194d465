import threading

cond = threading.Condition()
with cond:
    print(cond.wait(0.01))
print("done")
