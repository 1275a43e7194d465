count = 0
def bump():
    try:
        count += 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
bump()
print(count)
