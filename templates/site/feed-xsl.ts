/**
 * Renders RSS and Atom as a readable page when a browser opens a feed. Only titles, links and dates
 * are shown: content is escaped HTML, and disable-output-escaping is not supported everywhere.
 * Every run of text says its language: a bilingual title ("English | 中文", "类别 / Category") is cut
 * into its two halves; a Chinese feed's page is zh-CN (its RSS language, or /zh/ in its Atom id).
 */
export const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" indent="no"/>
  <xsl:variable name="zh" select="rss/channel/language = 'zh-CN' or contains(atom:feed/atom:id, '/zh/')"/>
  <xsl:template name="split">
    <xsl:param name="text"/>
    <xsl:param name="sep"/>
    <xsl:param name="first"/>
    <xsl:param name="second"/>
    <xsl:choose>
      <xsl:when test="contains($text, $sep)">
        <span lang="{$first}"><xsl:value-of select="substring-before($text, $sep)"/></span><xsl:value-of select="$sep"/><span lang="{$second}"><xsl:value-of select="substring-after($text, $sep)"/></span>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title|atom:feed/atom:title"/>
    <html>
    <xsl:attribute name="lang"><xsl:choose><xsl:when test="$zh">zh-CN</xsl:when><xsl:otherwise>en</xsl:otherwise></xsl:choose></xsl:attribute>
    <head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title><xsl:value-of select="$title"/></title>
    <link rel="icon" href="/favicon.ico"/>
    <style>body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;overflow-wrap:anywhere}main{max-width:46rem;margin:0 auto;padding:1rem}li{margin:.5rem 0}.note{background:#fff3cd;color:#3d3000;padding:.75rem;border-radius:.5rem}</style></head>
    <body><main>
      <p class="note"><span lang="en">This is a feed: copy its address into your feed reader to subscribe.</span> <span lang="zh-CN">这是订阅源：把地址复制到阅读器即可订阅。</span></p>
      <h1><xsl:call-template name="split"><xsl:with-param name="text" select="$title"/><xsl:with-param name="sep" select="' / '"/><xsl:with-param name="first" select="'zh-CN'"/><xsl:with-param name="second" select="'en'"/></xsl:call-template></h1>
      <p><xsl:call-template name="split"><xsl:with-param name="text" select="rss/channel/description|atom:feed/atom:subtitle"/><xsl:with-param name="sep" select="' · '"/><xsl:with-param name="first" select="'en'"/><xsl:with-param name="second" select="'zh-CN'"/></xsl:call-template></p>
      <ul>
        <xsl:for-each select="rss/channel/item">
          <li><a href="{link}"><xsl:call-template name="split"><xsl:with-param name="text" select="title"/><xsl:with-param name="sep" select="' | '"/><xsl:with-param name="first" select="'en'"/><xsl:with-param name="second" select="'zh-CN'"/></xsl:call-template></a> <small lang="en"><xsl:value-of select="pubDate"/></small></li>
        </xsl:for-each>
        <xsl:for-each select="atom:feed/atom:entry">
          <li><a href="{atom:link/@href}"><xsl:call-template name="split"><xsl:with-param name="text" select="atom:title"/><xsl:with-param name="sep" select="' | '"/><xsl:with-param name="first" select="'en'"/><xsl:with-param name="second" select="'zh-CN'"/></xsl:call-template></a> <small lang="en"><xsl:value-of select="atom:updated"/></small></li>
        </xsl:for-each>
      </ul>
    </main></body></html>
  </xsl:template>
</xsl:stylesheet>
`;
