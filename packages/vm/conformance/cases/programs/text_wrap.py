def wrap(text, width):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = line + " " + word if line else word
    if line:
        lines.append(line)
    return lines

text = "The global interpreter lock lets only one thread execute Python bytecode at a time, even on many cores."
for l in wrap(text, 24):
    print(f"|{l:<24}|")
