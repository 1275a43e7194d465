café = "coffee"
naïve = 2
print(café, naïve * 2)
