def grade(s):
    if s >= 90: return "A"
    elif s >= 80: return "B"
    elif s >= 70: return "C"
    elif s >= 60: return "D"
    else: return "F"

print([grade(s) for s in (95, 85, 75, 65, 5)])
