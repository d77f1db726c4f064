namespace H2Sim.Core.Input;

/// <summary>
/// Bad input the user can fix (a file that is not a regular file, too large, damaged): the CLI
/// prints its message as one line and exits 2.
/// </summary>
public class InputException(string message) : Exception(message);
