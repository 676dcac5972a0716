package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newCompletionCmd replaces cobra's default completion command so that its help says
// how to install the script for each shell salesout supports.
func newCompletionCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print the shell completion script for bash, zsh or fish",
		Long: `Print the shell completion script: commands, flags, --format values, --steps and
config files complete with TAB.

  bash  (needs the bash-completion package)
        salesout completion bash | sudo tee /etc/bash_completion.d/salesout > /dev/null
        or, for this shell only:  source <(salesout completion bash)
  zsh   salesout completion zsh > "${fpath[1]}/_salesout"   (then start a new shell;
        compinit must be enabled: autoload -U compinit; compinit)
  fish  salesout completion fish > ~/.config/fish/completions/salesout.fish`,
		Example: `  source <(salesout completion bash)
  salesout completion zsh > "${fpath[1]}/_salesout"
  salesout completion fish > ~/.config/fish/completions/salesout.fish`,
		GroupID:   "setup",
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"completion: want one shell: bash, zsh or fish"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			}
			return usageError{fmt.Sprintf("completion: unknown shell %q (want bash, zsh or fish)", args[0])}
		},
	}
}
