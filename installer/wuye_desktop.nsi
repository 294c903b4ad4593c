; Windows installer for 物业纠纷调解台账 (NSIS 3, Unicode).
; Per-user: no administrator rights; program in %LOCALAPPDATA%\Programs\WuyeDesktop,
; the register stays in %LOCALAPPDATA%\WuyeDesktop and survives uninstalling.
; A newer setup installs over the old one: same folder (remembered in the registry), the old
; program's files replaced, the data folder untouched; the program upgrades the register itself
; at its first start (a safety copy first) and shows what changed.
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=..\dist\wuye-desktop installer\wuye_desktop.nsi
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\dist\wuye-desktop"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "..\dist\wuye-desktop-${VERSION}-setup.exe"
!endif
!define APP_NAME "物业纠纷调解台账"
!define APP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\WuyeDesktop"
!define DATA_DIR "$LOCALAPPDATA\WuyeDesktop"  ; the register, backups, attachments: never the program's to touch

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\WuyeDesktop"
InstallDirRegKey HKCU "Software\WuyeDesktop" "InstallDir"
RequestExecutionLevel user
!ifdef UNCOMPRESSED  ; installer/check_installer_script.sh: proving the script needs no minutes of LZMA
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
BrandingText "${APP_NAME} ${VERSION}"

!define MUI_ICON "..\resources\app-icon.ico"
!define MUI_UNICON "..\resources\app-icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\wuye-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即启动${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${APP_NAME}"

; The program never goes into the data folder: uninstalling it would then take the records along.
Function .onVerifyInstDir
  StrLen $1 "${DATA_DIR}"
  StrCpy $2 "$INSTDIR" $1  ; as many characters as the data folder's name has
  StrCmp $2 "${DATA_DIR}" 0 done
  StrCpy $3 "$INSTDIR" 1 $1  ; the character after them: none (the data folder itself) or "\" (inside it)
  StrCmp $3 "" refuse
  StrCmp $3 "\" refuse done
  refuse:
    Abort
  done:
FunctionEnd

Section "程序文件" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update: the old version's program files go first, so none of its libraries (a Qt plugin of
  ; another Qt version) is left beside the new ones. Only the bundle's own parts: wuye-desktop.exe,
  ; wuye.exe and _internal (PyInstaller's one-folder layout, installer/wuye_desktop.spec).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\wuye-desktop.exe"
  Delete "$INSTDIR\wuye.exe"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\wuye-desktop.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\wuye-desktop.exe"
  WriteRegStr HKCU "Software\WuyeDesktop" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayIcon" "$INSTDIR\wuye-desktop.exe"
  WriteRegStr HKCU "${APP_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${APP_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APP_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only the program goes, part by part (never the whole folder: whatever else is in it stays);
  ; the register, backups and attachments in ${DATA_DIR} are the room's records and are kept.
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\wuye-desktop.exe"
  Delete "$INSTDIR\wuye.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if nothing else is left in it
  DeleteRegKey HKCU "${APP_KEY}"
  DeleteRegKey HKCU "Software\WuyeDesktop"
  MessageBox MB_OK|MB_ICONINFORMATION "程序已卸载。$\r$\n$\r$\n台账数据（案件、备份和附件）仍保留在：$\r$\n${DATA_DIR}$\r$\n如确实不再需要，请先备份后再手动删除该文件夹。" /SD IDOK
SectionEnd
