def todo():
    pass

for _ in range(3):
    pass
if True:
    pass
print(todo(), "done")
