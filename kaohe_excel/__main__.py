from kaohe_excel.command import entry

if __name__ == "__main__":
    entry()
